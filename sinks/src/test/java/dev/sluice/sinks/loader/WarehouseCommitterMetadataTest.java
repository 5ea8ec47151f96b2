package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.StagedFile;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WarehouseCommitterMetadataTest {

    private static final StagedFile FILE = new StagedFile("s3://b/f", 1);

    @Test
    void aCheckpointIsCompleteThroughTheSmallestWatermarkOfItsSubtasks() {
        LoadMetadata metadata =
                WarehouseCommitter.metadata(
                        7,
                        List.of(
                                new CommittedFile(7, FILE, "job", 5_000L),
                                new CommittedFile(7, null, "job", 3_000L)));
        assertThat(metadata.checkpointId()).isEqualTo(7);
        assertThat(metadata.jobId()).isEqualTo("job");
        assertThat(metadata.eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(3_000));
    }

    @Test
    void oneSubtaskWithoutAWatermarkMeansTheLoadRecordsNone() {
        LoadMetadata metadata =
                WarehouseCommitter.metadata(
                        7,
                        List.of(
                                new CommittedFile(7, FILE, "job", 5_000L),
                                new CommittedFile(7, FILE, "job", null)));
        assertThat(metadata.eventTimeWatermark()).isNull();
    }
}
