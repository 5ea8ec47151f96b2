package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.s3.errors.ErrorEnvelope;
import dev.sluice.sinks.s3.errors.ErrorFiles;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.RecordEncoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CSV-staged files into the real embedded PostgreSQL: the bytes go to {@code COPY … FROM STDIN WITH
 * (FORMAT csv, NULL E'\\N')} as they are, record by record, gunzipped when the name ends in {@code
 * .gz}, in the loader's transaction with the ledger; rejected records are taken out alone.
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
                        "5,\\N");
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
    void aNullAndAnEmptyStringStagedAsCsvLoadAsNullAndAsTheEmptyString() throws Exception {
        RecordEncoder encoder = FileFormat.csv(List.of("id", "name"), Compression.NONE).encoder();
        StringBuilder file = new StringBuilder();
        for (String record :
                List.of(
                        "{\"id\":1,\"name\":null}",
                        "{\"id\":2,\"name\":\"\"}",
                        "{\"id\":3}",
                        "{\"id\":4,\"name\":\"\\\\N\"}",
                        "{\"id\":5,\"name\":\"NULL\"}")) {
            file.append(
                            new String(
                                    encoder.encode(record.getBytes(StandardCharsets.UTF_8)),
                                    StandardCharsets.UTF_8))
                    .append('\n');
        }
        StagedFile staged = this.staged.plain("nulls.csv", file.toString());

        assertThat(loader(Compression.NONE).load(1, List.of(staged)).rows()).isEqualTo(5);
        assertThat(
                        POSTGRES.querySet(
                                "SELECT id || '=' || coalesce('[' || name || ']', '<null>') FROM "
                                        + schema
                                        + ".events"))
                .containsExactlyInAnyOrder("1=<null>", "2=[]", "3=<null>", "4=[\\N]", "5=[NULL]");
    }

    @Test
    void badCsvValuesAreRejectedAloneNamingTheirLineWhileAQuotedLineBreakAfterThemStaysInOneRow()
            throws Exception {
        StagedFile good = staged.plain("good.csv", "1,a\n");
        StagedFile bad =
                staged.gzip(
                        "bad.csv.gz",
                        "2,b",
                        "not-a-number,c",
                        "4,\"d\"",
                        "\"x\",\"e\"",
                        "6,\"two",
                        "lines\"",
                        "7,\\N");
        WarehouseLoader loader = loader(Compression.GZIP);

        LoadResult result = loader.load(1, List.of(good, bad));

        assertThat(result.rows()).isEqualTo(5);
        assertThat(result.rejectedRows()).isEqualTo(2);
        assertThat(
                        POSTGRES.querySet(
                                "SELECT id || '=' || coalesce(name, '<null>') FROM "
                                        + schema
                                        + ".events"))
                .containsExactlyInAnyOrder("1=a", "2=b", "4=d", "6=two\nlines", "7=<null>");
        assertThat(rejected()).containsExactlyInAnyOrder("2:id:not-a-number,c", "4:id:\"x\",\"e\"");
        assertThat(Files.exists(tempDir.resolve("errors/load-failed"))).isFalse();
    }

    @Test
    void aBadCsvValueAfterAQuotedLineBreakFailsTheWholeLoadRatherThanGuessingItsRow()
            throws Exception {
        StagedFile bad = staged.plain("bad.csv", "2,\"two\nlines\"\nnot-a-number,c\n3,d\n");
        WarehouseLoader loader = loader(Compression.NONE);

        assertThatThrownBy(() -> loader.load(1, List.of(bad)))
                .isInstanceOf(LoadRejectedException.class)
                .hasMessageContaining(bad.url())
                .hasMessageNotContaining("not-a-number");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".events")).isZero();
        assertThat(rejected()).isEmpty();
    }

    /** {@code line:column:raw record} of every envelope under errors/load-rejected/. */
    private List<String> rejected() throws Exception {
        List<String> out = new ArrayList<>();
        Path dir = tempDir.resolve("errors/load-rejected");
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.collect(Collectors.toList())) {
                byte[] bytes = Files.readAllBytes(file);
                List<ErrorEnvelope> envelopes = ErrorFiles.read(bytes);
                String text =
                        new String(
                                new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(),
                                StandardCharsets.UTF_8);
                String[] lines = text.split("\n");
                for (int i = 0; i < lines.length; i++) {
                    JsonNode n = new ObjectMapper().readTree(lines[i]);
                    out.add(
                            n.path("line").asLong()
                                    + ":"
                                    + n.path("column").asText()
                                    + ":"
                                    + new String(
                                            envelopes.get(i).rawData(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
