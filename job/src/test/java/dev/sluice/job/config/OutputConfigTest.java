package dev.sluice.job.config;

import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.GzipLevel;
import dev.sluice.sinks.s3.format.OutputFormat;
import dev.sluice.sinks.s3.prefix.PrefixTimeSource;
import dev.sluice.sinks.warehouse.SqlIdentifiers;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the staging output's format and further {@code Output.<name>} groups. */
class OutputConfigTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");

    private static Map<String, Properties> example() throws Exception {
        return ApplicationProperties.fromFile(EXAMPLE);
    }

    private static Properties output(Map<String, Properties> groups, String name, String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        groups.put(OutputOptions.GROUP_PREFIX + name, p);
        return p;
    }

    @Test
    void withoutFormatKeysStagingIsGzipJsonLinesAndThereAreNoFurtherOutputs() throws Exception {
        SluiceConfig config = SluiceConfig.from(example());

        assertThat(config.staging().name()).isEqualTo(OutputSettings.STAGING);
        assertThat(config.staging().format().format()).isEqualTo(OutputFormat.JSON);
        assertThat(config.staging().format().compression()).isEqualTo(Compression.GZIP);
        assertThat(config.staging().format().fileSuffix()).isEqualTo(".json.gz");
        assertThat(config.furtherOutputs()).isEmpty();
    }

    @Test
    void theGzipLevelIsReadPerOutputAndCheckedWithOneLine() throws Exception {
        Map<String, Properties> groups = example();
        assertThat(SluiceConfig.from(groups).staging().format().gzipLevel())
                .isEqualTo(GzipLevel.DEFAULT);

        groups.get("S3").setProperty("compression.gzip.level", "6");
        assertThat(SluiceConfig.from(groups).staging().format().gzipLevel()).isEqualTo(6);

        groups.get("S3").setProperty("compression.gzip.level", "0");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'S3': the GZIP level must be between 1 (fastest) and 9"
                                + " (smallest), not 0");

        groups.get("S3").setProperty("compression.gzip.level", "6");
        groups.get("S3").setProperty("compression", "NONE");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'S3': a GZIP level applies only to GZIP files, and this"
                                + " output's are JSON");
    }

    @Test
    void theShippedLakeExampleIsValid() throws Exception {
        Map<String, Properties> groups =
                ApplicationProperties.fromFile(Path.of("..", "conf", "sluice-lake.example.json"));
        // The example names the schema where a deployment mounts it; read the repository's copy.
        groups.get("Output.lake")
                .setProperty(
                        "parquet.schema.file",
                        Path.of("..", "conf", "user_events.avsc").toString());

        SluiceConfig config = SluiceConfig.from(groups);

        assertThat(config.staging().format().fileSuffix()).isEqualTo(".csv.gz");
        assertThat(config.loader().target().stagingFormat()).isEqualTo(config.staging().format());
        OutputSettings lake = config.furtherOutputs().get(0);
        assertThat(lake.rootUri()).isEqualTo("s3://my-data-lake/user_events/");
        assertThat(lake.format().fileSuffix()).isEqualTo(".parquet");
        assertThat(lake.prefix().timeSource()).isEqualTo(PrefixTimeSource.EVENT);
        assertThat(lake.maxOpenPartitions()).isEqualTo(50);
    }

    @Test
    void csvStagingWritesTheWarehouseColumnsUnlessItNamesItsOwn() throws Exception {
        Map<String, Properties> groups = example();
        groups.get("S3").setProperty("format", "CSV");
        // The loader writes FORMAT AS CSV itself: the example's JSON CopyOptions would conflict.
        groups.get("Warehouse").remove("copy.options");
        assertThat(SluiceConfig.from(groups).staging().format().columns())
                .containsExactly(
                        "event_id",
                        "user_id",
                        "event_type",
                        "page_url",
                        "event_timestamp",
                        "user_agent");

        groups.get("S3").setProperty("csv.columns", "event_id, user_id");
        // COPY maps CSV fields to the table's columns by position: the lists must match.
        groups.get("Warehouse").setProperty("columns", "event_id,user_id");
        groups.get("S3").setProperty("compression", "NONE");
        OutputSettings staging = SluiceConfig.from(groups).staging();
        assertThat(staging.format().columns()).containsExactly("event_id", "user_id");
        assertThat(staging.format().fileSuffix()).isEqualTo(".csv");
    }

    @Test
    void furtherOutputsAreReadByNameWithTheirOwnPrefixFormatAndSize() throws Exception {
        Map<String, Properties> groups = example();
        output(
                groups,
                "lake",
                "prefix",
                "lake/dt=!{timestamp:yyyy-MM-dd}/",
                "format",
                "JSON",
                "compression",
                "NONE",
                "buffering.size.mb",
                "16");
        output(groups, "archive", "bucket", "my-archive", "prefix", "archive/");

        SluiceConfig config = SluiceConfig.from(groups);
        List<OutputSettings> outputs = config.furtherOutputs();

        assertThat(outputs).extracting(OutputSettings::name).containsExactly("archive", "lake");
        OutputSettings archive = outputs.get(0);
        assertThat(archive.rootUri()).isEqualTo("s3://my-archive/archive/");
        assertThat(archive.format().fileSuffix()).isEqualTo(".json.gz");
        OutputSettings lake = outputs.get(1);
        assertThat(lake.rootUri()).isEqualTo("s3://my-sluice-staging/lake/");
        assertThat(lake.format().fileSuffix()).isEqualTo(".json");
        assertThat(lake.buffering().maxPartFileBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.checkpointIntervalMs())
                .as("the interval is the job's checkpoint interval, shared")
                .isEqualTo(60_000L);
    }

    @Test
    void prefixTimeAndThePartitionBoundAreReadPerOutput() throws Exception {
        Map<String, Properties> groups = example();
        output(
                groups,
                "lake",
                "prefix",
                "lake/type=!{partitionKeyFromQuery:event_type}/",
                "prefix.time",
                "EVENT",
                "partitions.max.open",
                "20");

        SluiceConfig config = SluiceConfig.from(groups);

        assertThat(config.staging().prefix().timeSource()).isEqualTo(PrefixTimeSource.ARRIVAL);
        assertThat(config.staging().maxOpenPartitions()).isEqualTo(500);
        OutputSettings lake = config.furtherOutputs().get(0);
        assertThat(lake.prefix().timeSource()).isEqualTo(PrefixTimeSource.EVENT);
        assertThat(lake.prefix().hasPartitionKeys()).isTrue();
        assertThat(lake.maxOpenPartitions()).isEqualTo(20);

        groups.get("Output.lake").setProperty("partitions.max.open", "0");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining(
                        "'Output.lake' key 'partitions.max.open' must be at least 1, got 0");
    }

    @Test
    void anOutputWithoutPrefixIsRejected() throws Exception {
        Map<String, Properties> groups = example();
        output(groups, "lake", "format", "JSON");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Output.lake' is missing required key 'prefix'");
    }

    @Test
    void outputNamesMustBeSafeInObjectNamesAndUids() throws Exception {
        for (String name : List.of("Lake", "la ke", "../x", "staging", "")) {
            Map<String, Properties> groups = example();
            output(groups, name, "prefix", "x/");
            assertThatThrownBy(() -> SluiceConfig.from(groups))
                    .as(name)
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("output name must match");
        }
    }

    @Test
    void twoOutputsUnderOneRootAreRejected() throws Exception {
        Map<String, Properties> groups = example();
        output(groups, "lake", "prefix", "redshift-staging/user-events/!{timestamp:yyyy}/");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Outputs 'staging' and 'lake' both write under")
                .hasMessageContaining("s3://my-sluice-staging/redshift-staging/user-events/");
    }

    @Test
    void formatKeysMustFitTheFormat() throws Exception {
        Map<String, Properties> groups = example();
        output(groups, "lake", "prefix", "lake/", "format", "JSON", "csv.columns", "a,b");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining(
                        "'Output.lake' key 'csv.columns' does not apply to format JSON");

        output(groups, "lake", "prefix", "lake/", "format", "CSV");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'Output.lake' has format CSV but no 'csv.columns'");

        output(groups, "lake", "prefix", "lake/", "format", "JSON", "compression", "SNAPPY");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'Output.lake'")
                .hasMessageContaining("compression SNAPPY is not available for JSON files");

        output(groups, "lake", "prefix", "lake/", "format", "PARQUET");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining(
                        "'Output.lake' is missing required key 'parquet.schema.file'");

        output(
                groups,
                "lake",
                "prefix",
                "lake/",
                "format",
                "PARQUET",
                "parquet.schema.file",
                "/nonexistent/events.avsc");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'Output.lake'")
                .hasMessageContaining("Avro schema file /nonexistent/events.avsc does not exist");
    }

    @Test
    void unknownKeysInAnOutputGroupAreRejected() throws Exception {
        Map<String, Properties> groups = example();
        output(groups, "lake", "prefix", "lake/", "fromat", "CSV");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Output.lake' has unknown key(s) [fromat]");
    }

    @Test
    void columnListIsParsedLikeFirehoseDataTableColumns() {
        assertThat(SqlIdentifiers.columns("column", OutputConfigReader.columnList("a, B ,c")))
                .containsExactly("a", "b", "c");
        assertThat(OutputConfigReader.columnList("  ")).isEmpty();
    }
}
