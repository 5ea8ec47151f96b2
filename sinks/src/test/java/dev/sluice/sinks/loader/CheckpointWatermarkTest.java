package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointWatermarkTest {

    private static final StagedFile FILE = new StagedFile("s3://b/f", 1);

    @Test
    void isTheSmallestWatermarkOverAllWriterSubtasksIncludingOneWithoutFiles() {
        assertThat(
                        CheckpointWatermark.of(
                                List.of(
                                        new CommittedFile(7, FILE, "job", 5_000L, 0, 2),
                                        new CommittedFile(7, null, "job", 5_000L, 0, 2),
                                        // subtask 1 staged nothing, but lags behind
                                        new CommittedFile(7, null, "job", 3_000L, 1, 2))))
                .contains(3_000L);
    }

    @Test
    void isUnknownWhileASubtaskHasNotReported() {
        assertThat(
                        CheckpointWatermark.of(
                                List.of(
                                        new CommittedFile(7, FILE, "job", 5_000L, 0, 3),
                                        new CommittedFile(7, null, "job", 6_000L, 2, 3))))
                .isEmpty();
    }

    @Test
    void isUnknownWhenASubtaskHasSeenNoWatermarkYet() {
        assertThat(
                        CheckpointWatermark.of(
                                List.of(
                                        new CommittedFile(7, FILE, "job", 5_000L, 0, 2),
                                        new CommittedFile(7, null, "job", null, 1, 2))))
                .isEmpty();
    }

    @Test
    void isUnknownForCommittablesThatDoNotNameTheirSubtask() {
        assertThat(CheckpointWatermark.of(List.of(new CommittedFile(7, FILE, "job", 5_000L))))
                .isEmpty();
        assertThat(CheckpointWatermark.of(List.of())).isEmpty();
    }
}
