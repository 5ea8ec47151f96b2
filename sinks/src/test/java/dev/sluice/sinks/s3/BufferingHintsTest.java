package dev.sluice.sinks.s3;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferingHintsTest {

    @Test
    void firehosesRangesAreAcceptedAtBothEnds() {
        assertThat(BufferingHints.of(1, 0).checkpointIntervalMs()).isEqualTo(1_000L);
        assertThat(BufferingHints.of(128, 900).checkpointIntervalMs()).isEqualTo(900_000L);
        assertThat(BufferingHints.of(128, 900).maxPartFileBytes()).isEqualTo(134_217_728L);
    }

    @Test
    void valuesOutsideTheRangesNameTheHint() {
        assertThatThrownBy(() -> BufferingHints.of(0, 60)).hasMessageContaining("SizeInMBs");
        assertThatThrownBy(() -> BufferingHints.of(129, 60)).hasMessageContaining("SizeInMBs");
        assertThatThrownBy(() -> BufferingHints.of(5, -1))
                .hasMessageContaining("IntervalInSeconds");
        assertThatThrownBy(() -> BufferingHints.of(5, 901))
                .hasMessageContaining("IntervalInSeconds");
    }
}
