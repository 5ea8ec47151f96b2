package dev.sluice.job.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTest {

    @Test
    void everyRecordLoadedInErrorsOrDroppedIsAccountedFor() {
        Summary summary = new Summary(10, 6, 6, 3, 1);
        assertThat(summary.accountsForEveryRecord()).isTrue();
        assertThat(summary.line())
                .isEqualTo(
                        "SLUICE SUMMARY produced=10 loaded=6 distinct=6 errors=3 dropped=1"
                                + " accounted=yes");
    }

    @Test
    void aMissingOrDoubledRecordOrAnUnreadableDroppedCountIsNot() {
        assertThat(new Summary(10, 6, 6, 2, 1).accountsForEveryRecord())
                .as("one missing")
                .isFalse();
        assertThat(new Summary(10, 7, 6, 3, 1).accountsForEveryRecord())
                .as("one doubled")
                .isFalse();
        assertThat(new Summary(10, 7, 7, 3, -1).line()).endsWith("dropped=-1 accounted=no");
    }
}
