package dev.sluice.job.config;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.connector.firehose.sink.KinesisFirehoseSink;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading {@code Output.<name>} groups of type FIREHOSE. */
class FirehoseOutputConfigTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");

    private static Map<String, Properties> withOutput(String name, String... kv) throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        Properties p = new Properties();
        p.setProperty("type", "FIREHOSE");
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        groups.put(OutputOptions.GROUP_PREFIX + name, p);
        return groups;
    }

    /** Output "search" with its required keys and {@code extra}. */
    private static Map<String, Properties> search(String... extra) throws Exception {
        Map<String, Properties> groups =
                withOutput(
                        "search",
                        "firehose.delivery.stream.name",
                        "clicks",
                        "aws.region",
                        "eu-west-1");
        for (int i = 0; i < extra.length; i += 2) {
            groups.get("Output.search").setProperty(extra[i], extra[i + 1]);
        }
        return groups;
    }

    @Test
    void aFirehoseOutputIsReadWithItsStreamAndBuildsTheConnectorsSink() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(
                        withOutput(
                                "search",
                                "firehose.delivery.stream.name",
                                "clicks-to-opensearch",
                                "aws.region",
                                "eu-west-1",
                                "aws.endpoint",
                                "https://firehose.eu-west-1.amazonaws.com",
                                "firehose.max.batch.size",
                                "100"));

        assertThat(config.furtherOutputs()).as("no S3 output from a FIREHOSE group").isEmpty();
        assertThat(config.firehoseOutputs()).hasSize(1);
        FirehoseOutputSettings search = config.firehoseOutputs().get(0);
        assertThat(search.name()).isEqualTo("search");
        assertThat(search.deliveryStreamName()).isEqualTo("clicks-to-opensearch");
        KinesisFirehoseSink<SluiceRecord> sink = search.sink();
        assertThat(sink).isNotNull();
    }

    @Test
    void theStreamNameAndRegionAreRequired() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(withOutput("search", "aws.region", "eu-west-1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Output.search'")
                .hasMessageContaining("firehose.delivery.stream.name");
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        withOutput(
                                                "search",
                                                "firehose.delivery.stream.name",
                                                "clicks")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("aws.region");
    }

    @Test
    void batchLimitsAboveFirehosesOwnAreRejectedNamingTheGroup() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(search("firehose.max.batch.size", "501")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Output.search'")
                .hasMessageContaining("1–500");
        assertThatThrownBy(
                        () -> SluiceConfig.from(search("firehose.max.batch.size.bytes", "4194305")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("4194304");
    }

    @Test
    void s3KeysInAFirehoseOutputAndFirehoseKeysInAnS3OutputAreRejected() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(search("prefix", "search/")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'Output.search' key 'prefix' does not apply to type FIREHOSE");
        Map<String, Properties> s3 = withOutput("lake", "prefix", "lake/", "aws.region", "x");
        s3.get("Output.lake").remove("type");
        assertThatThrownBy(() -> SluiceConfig.from(s3))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'Output.lake' key 'aws.region' does not apply to type S3");
    }

    @Test
    void aBadCredentialsSettingFailsAtStartNotOnTheCluster() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(search("aws.credentials.provider", "BASIC")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Output.search'")
                .hasMessageContaining("Access Key ID");
    }
}
