package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CSV-staged files into the real embedded PostgreSQL: the bytes go to {@code COPY … FROM STDIN WITH
 * (FORMAT csv)} as they are, gunzipped when the name ends in {@code .gz}, in the loader's
 * transaction with the ledger.
 */
class PostgresCsvLoadTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path tempDir;

    private EventsTable table;
    private String schema;
    private StagedFiles staged;

    @BeforeEach
    void createTable() throws Exception {
        table = EventsTable.create(POSTGRES, "csv");
        schema = table.schema();
        staged = new StagedFiles(tempDir.resolve("data"));
    }

    private WarehouseLoader loader(Compression compression) {
        return new WarehouseLoader(
                table.loaderConfig(tempDir.resolve("manifests"))
                        .target(
                                table.target()
                                        .stagingFormat(
                                                FileFormat.csv(List.of("id", "name"), compression))
                                        .build())
                        .build());
    }

    @Test
    void loadsGzipAndPlainCsvFilesWithQuotingAndNullsExactlyOnce() throws Exception {
        StagedFile gzip =
                staged.gzip(
                        "a.csv.gz",
                        "1,plain",
                        "2,\"comma, inside\"",
                        "3,\"quote \"\" inside\"",
                        "4,\"line",
                        "break\"",
                        "5,");
        StagedFile plain = staged.plain("b.csv", "6,\"\"\n7,last\n");
        WarehouseLoader loader = loader(Compression.GZIP);

        LoadResult result = loader.load(1, List.of(gzip, plain));
        LoadResult again = loader.load(2, List.of(gzip, plain));

        assertThat(result.rows()).isEqualTo(7);
        assertThat(again.loaded()).isFalse();
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".events")).isEqualTo(7);
        assertThat(
                        POSTGRES.querySet(
                                "SELECT id || '=' || coalesce(name, '<null>') FROM "
                                        + schema
                                        + ".events"))
                .containsExactlyInAnyOrder(
                        "1=plain",
                        "2=comma, inside",
                        "3=quote \" inside",
                        "4=line\nbreak",
                        "5=<null>",
                        "6=",
                        "7=last");
    }

    @Test
    void aBadCsvValueRollsTheWholeLoadBackAndNamesTheFileAndLine() throws Exception {
        StagedFile good = staged.plain("good.csv", "1,a\n");
        StagedFile bad = staged.plain("bad.csv", "2,b\nnot-a-number,c\n");
        WarehouseLoader loader = loader(Compression.NONE);

        assertThatThrownBy(() -> loader.load(1, List.of(good, bad)))
                .isInstanceOf(LoadRejectedException.class)
                .hasMessageContaining(bad.url() + " line 2")
                .hasMessageNotContaining("not-a-number");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".events")).isZero();
    }
}
