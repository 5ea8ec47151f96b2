package dev.sluice.job.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointIntervalTest {

    @Test
    void firehosesRangeIsAcceptedAtBothEnds() {
        assertThat(CheckpointInterval.millisOf(0)).isEqualTo(1_000L);
        assertThat(CheckpointInterval.millisOf(900)).isEqualTo(900_000L);
    }

    @Test
    void valuesOutsideTheRangeNameTheHint() {
        assertThatThrownBy(() -> CheckpointInterval.millisOf(-1))
                .hasMessageContaining("IntervalInSeconds");
        assertThatThrownBy(() -> CheckpointInterval.millisOf(901))
                .hasMessageContaining("IntervalInSeconds");
    }

    @Test
    void aLocalRunsMillisecondsAreTheConfigurationsWholeSeconds() {
        assertThat(CheckpointInterval.secondsOf(2_000L)).isEqualTo(2);
        assertThatThrownBy(() -> CheckpointInterval.secondsOf(1_500L))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> CheckpointInterval.secondsOf(0L))
                .hasMessageContaining("whole seconds");
    }
}
