package dev.sluice.job.config;

import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.job.source.KinesisSources;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code KinesisSource source.type} and the keys each type needs, read from the shipped example.
 */
class SourceSettingsTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");
    private static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/user-events";

    private static Map<String, Properties> example() throws Exception {
        return ApplicationProperties.fromFile(EXAMPLE);
    }

    private static Properties source(Map<String, Properties> groups) {
        return groups.get(SourceOptions.GROUP);
    }

    @Test
    void pollingIsTheDefaultAndKeepsTheFirstReleasesUid() throws Exception {
        SluiceConfig config = SluiceConfig.from(example());

        assertThat(config.source().type()).isEqualTo(SourceType.POLLING);
        assertThat(config.consumerProperties()).doesNotContainKey("flink.stream.recordpublisher");
        assertThat(KinesisSources.uid(SourceType.POLLING)).isEqualTo("sluice-kinesis-source");
    }

    @Test
    void efoSetsTheConnectorsRecordPublisherConsumerNameAndLazyRegistration() throws Exception {
        Map<String, Properties> groups = example();
        source(groups).setProperty("source.type", "EFO");
        source(groups).setProperty("efo.consumer.name", "sluice-user-events");

        SluiceConfig config = SluiceConfig.from(groups);

        assertThat(config.consumerProperties())
                .containsEntry("flink.stream.recordpublisher", "EFO")
                .containsEntry("flink.stream.efo.consumername", "sluice-user-events")
                .containsEntry("flink.stream.efo.registration", "LAZY");
        assertThat(KinesisSources.uid(SourceType.EFO))
                .as("EFO and POLLING share the legacy consumer's state")
                .isEqualTo(KinesisSources.uid(SourceType.POLLING));
    }

    @Test
    void efoWithoutAConsumerNameIsAOneLineError() throws Exception {
        Map<String, Properties> groups = example();
        source(groups).setProperty("source.type", "EFO");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(
                        "Property group 'KinesisSource' is missing required key"
                                + " 'efo.consumer.name'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theConnectorsPublisherKeysAreRejectedInFavourOfSourceType() throws Exception {
        Map<String, Properties> groups = example();
        source(groups).setProperty("flink.stream.recordpublisher", "EFO");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'KinesisSource' sets 'flink.stream.recordpublisher'; set"
                                + " 'source.type' and the 'efo.*' keys instead");
    }

    @Test
    void flip27NeedsTheArnOfTheNamedStreamAndHasItsOwnUid() throws Exception {
        Map<String, Properties> groups = example();
        source(groups).setProperty("source.type", "FLIP27");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageStartingWith(
                        "Property group 'KinesisSource' is missing required key 'stream.arn'");

        source(groups)
                .setProperty(
                        "stream.arn", "arn:aws:kinesis:us-east-1:123456789012:stream/other-stream");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'stream.arn' must be the ARN of stream 'user-events'")
                .hasMessageNotContaining("other-stream");

        source(groups).setProperty("stream.arn", ARN);
        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.source())
                .isEqualTo(new SourceSettings(SourceType.FLIP27, "user-events", ARN));
        assertThat(KinesisSources.uid(SourceType.FLIP27))
                .isEqualTo("sluice-kinesis-source-flip27")
                .isNotEqualTo(KinesisSources.uid(SourceType.POLLING));
    }

    @Test
    void anUnknownSourceTypeNamesTheKey() throws Exception {
        Map<String, Properties> groups = example();
        source(groups).setProperty("source.type", "KCL");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'KinesisSource' key 'source.type' is invalid");
    }
}
