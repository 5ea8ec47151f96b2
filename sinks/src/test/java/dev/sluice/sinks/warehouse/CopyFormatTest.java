package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The COPY each staging format gets, pinned as SQL (no Redshift is reachable here), and the
 * CopyOptions each format refuses at start-up.
 */
class CopyFormatTest {

    private static final FileFormat CSV_GZIP =
            FileFormat.csv(List.of("id", "name"), Compression.GZIP);
    private static final FileFormat CSV_PLAIN =
            FileFormat.csv(List.of("id", "name"), Compression.NONE);
    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"Event\",\"fields\":"
                    + "[{\"name\":\"event_id\",\"type\":\"string\"}]}";

    private static final FileFormat PARQUET = FileFormat.parquet(SCHEMA, Compression.SNAPPY);

    private static CopyTarget.Builder redshift(FileFormat staging) {
        return CopyTarget.builder()
                .dialect(WarehouseDialect.named("redshift"))
                .targetTable("analytics.events")
                .columns(List.of("id", "name"))
                .iamRole("arn:aws:iam::123456789012:role/load")
                .stagingFormat(staging);
    }

    private static CopyTarget.Builder postgres(FileFormat staging) {
        return CopyTarget.builder()
                .dialect(WarehouseDialect.named("postgres"))
                .targetTable("events")
                .columns(List.of("id", "name"))
                .stagingFormat(staging);
    }

    private static String copy(CopyTarget config) {
        return RedshiftDialect.copyStatement(config, "s3://bucket/sluice/manifests/m.manifest");
    }

    private static final String PREFIX =
            "COPY \"analytics\".\"events\" (\"id\",\"name\")"
                    + " FROM 's3://bucket/sluice/manifests/m.manifest'"
                    + " IAM_ROLE 'arn:aws:iam::123456789012:role/load' MANIFEST";

    @Test
    void gzipCsvIsCopiedAsCsvWithGzipAndTheOptionsAfter() {
        assertThat(copy(redshift(CSV_GZIP).build()))
                .isEqualTo(PREFIX + " FORMAT AS CSV NULL AS '\\\\N' GZIP MAXERROR 101");
        assertThat(copy(redshift(CSV_GZIP).copyOptions("TIMEFORMAT 'auto' EMPTYASNULL").build()))
                .isEqualTo(
                        PREFIX
                                + " FORMAT AS CSV NULL AS '\\\\N' GZIP TIMEFORMAT 'auto' EMPTYASNULL"
                                + " MAXERROR 101");
    }

    @Test
    void uncompressedCsvIsCopiedWithoutGzip() {
        assertThat(copy(redshift(CSV_PLAIN).build()))
                .isEqualTo(PREFIX + " FORMAT AS CSV NULL AS '\\\\N' MAXERROR 101");
    }

    @Test
    void parquetIsCopiedAsParquetWithoutGzip() {
        assertThat(copy(redshift(PARQUET).build())).isEqualTo(PREFIX + " FORMAT AS PARQUET");
        assertThat(copy(redshift(FileFormat.parquet(SCHEMA, Compression.NONE)).build()))
                .isEqualTo(PREFIX + " FORMAT AS PARQUET");
    }

    @Test
    void jsonKeepsFirehosesOptionsAndItsDefaultFollowsTheCompression() {
        assertThat(copy(redshift(FileFormat.json()).build()))
                .isEqualTo(PREFIX + " JSON 'auto' GZIP MAXERROR 101");
        assertThat(copy(redshift(FileFormat.json(Compression.NONE)).build()))
                .isEqualTo(PREFIX + " JSON 'auto' MAXERROR 101");
    }

    @Test
    void optionsContradictingCsvAreRefused() {
        assertThatThrownBy(() -> redshift(CSV_GZIP).copyOptions("JSON 'auto' GZIP").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("say JSON, but the staged files are CSV+GZIP")
                .hasMessageContaining(
                        "the loader writes FORMAT AS CSV NULL AS '\\\\N' GZIP itself");
        assertThatThrownBy(() -> redshift(CSV_GZIP).copyOptions("GZIP").build())
                .hasMessageContaining("say GZIP");
        assertThatThrownBy(() -> redshift(CSV_PLAIN).copyOptions("DELIMITER '|'").build())
                .hasMessageContaining("say DELIMITER");
        assertThatThrownBy(() -> postgres(CSV_PLAIN).copyOptions("JSON 'auto'").build())
                .hasMessageContaining("say JSON");
    }

    @Test
    void optionsContradictingParquetOrJsonAreRefused() {
        assertThatThrownBy(() -> redshift(PARQUET).copyOptions("GZIP").build())
                .hasMessageContaining("say GZIP, but the staged files are PARQUET+SNAPPY");
        assertThatThrownBy(() -> redshift(PARQUET).copyOptions("FORMAT AS CSV").build())
                .hasMessageContaining("say FORMAT");
        assertThatThrownBy(() -> redshift(FileFormat.json()).copyOptions("CSV GZIP").build())
                .hasMessageContaining("say CSV, but the staged files are JSON+GZIP");
        assertThatThrownBy(() -> redshift(FileFormat.json()).copyOptions("JSON 'auto'").build())
                .hasMessageContaining("lack GZIP");
        assertThatThrownBy(
                        () ->
                                redshift(FileFormat.json(Compression.NONE))
                                        .copyOptions("JSON 'auto' GZIP")
                                        .build())
                .hasMessageContaining("say GZIP, but the staged files are JSON");
    }

    @Test
    void parquetTakesOnlyTheCopyOptionsRedshiftAcceptsForColumnarFiles() {
        assertThat(
                        redshift(PARQUET)
                                .copyOptions(
                                        "ACCEPTINVCHARS '?' FILLRECORD STATUPDATE OFF EXPLICIT_IDS")
                                .build())
                .isNotNull();
        for (String refused : List.of("ACCEPTANYDATE", "TIMEFORMAT 'auto'", "EMPTYASNULL")) {
            assertThatThrownBy(() -> redshift(PARQUET).copyOptions(refused).build())
                    .as(refused)
                    .hasMessageContaining(
                            "which Redshift does not take for Parquet; a Parquet COPY accepts"
                                    + " only ACCEPTINVCHARS, FILLRECORD, STATUPDATE and"
                                    + " EXPLICIT_IDS");
        }
    }

    @Test
    void postgresRefusesParquetAtStartUp() {
        assertThatThrownBy(() -> postgres(PARQUET).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgres dialect cannot load Parquet");
    }

    @Test
    void csvFieldsMustMatchTheTableColumnsInNumber() {
        assertThatThrownBy(
                        () ->
                                redshift(FileFormat.csv(List.of("a", "b", "c"), Compression.GZIP))
                                        .build())
                .hasMessageContaining("3 fields (csv.columns) but the table's column list has 2");
    }
}
