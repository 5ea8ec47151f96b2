package dev.sluice.sinks.firehose;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder rejects what Firehose or the connector would reject later, on the cluster. */
class FirehoseOutputTest {

    private static FirehoseOutput.Builder builder() {
        Properties client = new Properties();
        client.setProperty("aws.region", "eu-west-1");
        return FirehoseOutput.builder("clicks").clientProperties(client);
    }

    @Test
    void theDefaultsAreFirehosesLimitsAndBuild() {
        assertThat(FirehoseOutput.DEFAULT_MAX_BATCH_SIZE).isEqualTo(500);
        assertThat(FirehoseOutput.DEFAULT_MAX_BATCH_SIZE_BYTES).isEqualTo(4L * 1024 * 1024);
        assertThat(builder().build()).isNotNull();
        assertThat(builder().maxBatchSize(1).maxBatchSizeBytes(1000L * 1024).build()).isNotNull();
    }

    @Test
    void valuesOutsideTheLimitsAreRejectedWithTheRange() {
        assertThatThrownBy(() -> builder().maxBatchSize(501).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1–500");
        assertThatThrownBy(() -> builder().maxBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().maxBatchSizeBytes(4L * 1024 * 1024 + 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024000–4194304");
        assertThatThrownBy(() -> builder().maxBatchSizeBytes(1000L * 1024 - 1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().maxInFlightRequests(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().maxBufferedRequests(500).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("greater than the max batch size");
        assertThatThrownBy(() -> builder().maxTimeInBufferMs(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirehoseOutput.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMalformedRegionIsRejectedBeforeTheJobRuns() {
        Properties client = new Properties();
        // The connector checks the shape of a region id, not whether the region exists.
        client.setProperty("aws.region", "eu-west");
        assertThatThrownBy(() -> FirehoseOutput.builder("clicks").clientProperties(client).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region");
    }
}
