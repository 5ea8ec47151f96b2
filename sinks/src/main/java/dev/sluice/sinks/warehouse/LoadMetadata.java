package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.time.Instant;

/**
 * What the ledger records about where a load came from, beside its files.
 *
 * @param checkpointId the checkpoint that committed the files (-1 when unknown, e.g. a replay of a
 *     manifest without its error document)
 * @param jobId the Flink job id that staged the files, if known
 * @param eventTimeWatermark the smallest event-time watermark across the writing subtasks when the
 *     checkpoint was taken: every record with an earlier event time is in this or an earlier load.
 *     Null until the pipeline supplies event time (see {@code CommittedFile}).
 */
public record LoadMetadata(
        long checkpointId, @Nullable String jobId, @Nullable Instant eventTimeWatermark) {

    public static LoadMetadata of(long checkpointId) {
        return new LoadMetadata(checkpointId, null, null);
    }
}
