package dev.sluice.job.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SluiceConfigTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");

    @Test
    void theShippedRedshiftExampleIsValid() throws Exception {
        SluiceConfig config = SluiceConfig.from(ApplicationProperties.fromFile(EXAMPLE));

        assertThat(config.streamName()).isEqualTo("user-events");
        assertThat(config.consumerProperties())
                .containsEntry("aws.region", "us-east-1")
                .containsEntry("flink.stream.initpos", "TRIM_HORIZON");
        assertThat(config.dataPath())
                .isEqualTo("s3://my-sluice-staging/redshift-staging/user-events/");
        assertThat(config.loader().manifestBasePath())
                .isEqualTo("s3://my-sluice-staging/redshift-staging/user-events/manifests/");
        assertThat(config.checkpointIntervalMs()).isEqualTo(60_000L);
    }

    @Test
    void aMisspeltKeyIsRejectedWithTheGroupAndKey() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("copy.option", "GZIP");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Warehouse'")
                .hasMessageContaining("copy.option");
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("KinesisSource").remove("stream.name");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'KinesisSource' is missing required key 'stream.name'");
    }

    @Test
    void aHostileTableNameIsRejectedAtStartUp() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("table", "public.user_events; DROP TABLE users");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Warehouse'");
    }

    @Test
    void anOutOfRangeCheckpointIntervalIsRejected() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Job").setProperty("checkpoint.interval.ms", "10");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'checkpoint.interval.ms' must be between 1000 and 900000");
    }

    @Test
    void aPasswordIsNeverPartOfTheLoaderDescription() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").remove("password.env");
        groups.get("Warehouse").setProperty("password", "hunter2-very-secret");

        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.loader().toString()).doesNotContain("hunter2-very-secret");
    }

    @Test
    void bothPasswordSourcesAtOnceAreAmbiguous() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("password", "x");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("both 'password' and 'password.env'");
    }

    @Test
    void thePrefixGetsATrailingSlashAndUnsafePrefixesAreRejected() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("S3").setProperty("prefix", "/staging");
        assertThat(SluiceConfig.from(groups).prefix()).isEqualTo("staging/");

        groups.get("S3").setProperty("prefix", "a/../b");
        assertThatThrownBy(() -> SluiceConfig.from(groups)).hasMessageContaining("'prefix'");
    }
}
