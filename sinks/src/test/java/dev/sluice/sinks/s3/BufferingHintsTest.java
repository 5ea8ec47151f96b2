package dev.sluice.sinks.s3;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferingHintsTest {

    @Test
    void firehosesRangeIsAcceptedAtBothEnds() {
        assertThat(BufferingHints.of(1).maxPartFileBytes()).isEqualTo(1_048_576L);
        assertThat(BufferingHints.of(128).maxPartFileBytes()).isEqualTo(134_217_728L);
    }

    @Test
    void valuesOutsideTheRangesNameTheHint() {
        assertThatThrownBy(() -> BufferingHints.of(0)).hasMessageContaining("SizeInMBs");
        assertThatThrownBy(() -> BufferingHints.of(129)).hasMessageContaining("SizeInMBs");
    }
}
