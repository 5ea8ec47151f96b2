package dev.sluice.sinks.warehouse;

import dev.sluice.operators.source.position.SourcePositions;

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
 * @param positions per stream and shard, the highest source position among the rows of the
 *     checkpoints this load completes; the ledger records them in the load's transaction. With
 *     aligned checkpoints every earlier record of the shard is in this or an earlier load (or in
 *     {@code errors/}). Empty for replays and for files of releases that did not record them.
 */
public record LoadMetadata(
        long checkpointId,
        @Nullable String jobId,
        @Nullable Instant eventTimeWatermark,
        SourcePositions positions) {

    public LoadMetadata {
        positions = positions == null ? SourcePositions.none() : positions.copy();
    }

    /** Without source positions. */
    public LoadMetadata(
            long checkpointId, @Nullable String jobId, @Nullable Instant eventTimeWatermark) {
        this(checkpointId, jobId, eventTimeWatermark, SourcePositions.none());
    }

    public static LoadMetadata of(long checkpointId) {
        return new LoadMetadata(checkpointId, null, null);
    }
}
