package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RowLineMapTest {

    @Test
    void copyRowNumbersMapBackToFileLinesPastTheLinesNotSent() {
        RowLineMap map = new RowLineMap();
        // Lines 2 and 3 were not sent (blank, or taken out), nor was line 6.
        map.notWritten(2);
        map.notWritten(3);
        map.notWritten(6);

        assertThat(map.sourceLine(1)).isEqualTo(1);
        assertThat(map.sourceLine(2)).isEqualTo(4);
        assertThat(map.sourceLine(3)).isEqualTo(5);
        assertThat(map.sourceLine(4)).isEqualTo(7);
    }

    @Test
    void withNothingLeftOutRowsAreLines() {
        assertThat(new RowLineMap().sourceLine(42)).isEqualTo(42);
    }
}
