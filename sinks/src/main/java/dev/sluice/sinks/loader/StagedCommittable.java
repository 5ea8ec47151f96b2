package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;

import org.apache.flink.connector.file.sink.FileSinkCommittable;

import javax.annotation.Nullable;

import java.util.Optional;

/**
 * What one writer subtask hands to the committer at a checkpoint: a FileSink committable, or no
 * committable at all (a watermark carrier), plus the event-time watermark the subtask had seen when
 * the checkpoint cut its files: every record with an earlier event time that reached this subtask
 * before the cut is in this checkpoint's files or an earlier one's.
 *
 * <p>Every writer subtask sends one carrier per checkpoint, even when it staged nothing, so that
 * the loader learns the watermark of <em>every</em> subtask and a slow subtask without files holds
 * the completeness watermark back instead of being left out of the minimum. Carriers carry the
 * subtask's index and the writer's parallelism, and how many files the subtask staged in the
 * checkpoint: from those alone the loader knows when it holds every file of a checkpoint, however
 * many committer subtasks carried them and whatever the job's parallelism is by the time they
 * arrive (a checkpoint taken before a rescale is re-emitted after it by other committer subtasks).
 *
 * @param committable what FileSink's own committer commits; null for a watermark carrier
 * @param watermark epoch millis, or null when the writer had seen no watermark yet
 * @param subtask the writer subtask's index, or {@link #UNKNOWN_SUBTASK} for committables restored
 *     from a Sluice that did not record it
 * @param subtasks the writer's parallelism, or 0 when unknown
 * @param stagedFiles on a watermark carrier, the number of committables with a file that the writer
 *     subtask handed over in the same checkpoint; {@link #UNKNOWN_FILE_COUNT} on everything else
 *     and on carriers of Sluice releases that did not count them
 * @param positions on a watermark carrier, the highest source position per shard among the rows the
 *     writer subtask wrote in the checkpoint; empty on everything else and on carriers of Sluice
 *     releases that did not record them
 */
record StagedCommittable(
        @Nullable FileSinkCommittable committable,
        @Nullable Long watermark,
        int subtask,
        int subtasks,
        int stagedFiles,
        SourcePositions positions) {

    StagedCommittable {
        positions = positions == null ? SourcePositions.none() : positions;
    }

    StagedCommittable(
            @Nullable FileSinkCommittable committable,
            @Nullable Long watermark,
            int subtask,
            int subtasks,
            int stagedFiles) {
        this(committable, watermark, subtask, subtasks, stagedFiles, SourcePositions.none());
    }

    static final int UNKNOWN_SUBTASK = -1;
    static final int UNKNOWN_FILE_COUNT = -1;

    /** A FileSink committable from a Sluice that did not record the writer subtask. */
    StagedCommittable(FileSinkCommittable committable, @Nullable Long watermark) {
        this(committable, watermark, UNKNOWN_SUBTASK, 0);
    }

    /** A FileSink committable of a writer subtask. */
    StagedCommittable(
            @Nullable FileSinkCommittable committable,
            @Nullable Long watermark,
            int subtask,
            int subtasks) {
        this(committable, watermark, subtask, subtasks, UNKNOWN_FILE_COUNT);
    }

    /** The watermark of a writer subtask and the number of files it staged in the checkpoint. */
    static StagedCommittable carrier(
            @Nullable Long watermark, int subtask, int subtasks, int stagedFiles) {
        return new StagedCommittable(null, watermark, subtask, subtasks, stagedFiles);
    }

    /** As {@link #carrier(Long, int, int, int)}, with the shards' positions staged. */
    static StagedCommittable carrier(
            @Nullable Long watermark,
            int subtask,
            int subtasks,
            int stagedFiles,
            SourcePositions positions) {
        return new StagedCommittable(null, watermark, subtask, subtasks, stagedFiles, positions);
    }

    /** The FileSink committable, if this is not a watermark carrier. */
    Optional<FileSinkCommittable> fileSinkCommittable() {
        return Optional.ofNullable(committable);
    }

    StagedCommittable with(FileSinkCommittable replacement) {
        return new StagedCommittable(
                replacement, watermark, subtask, subtasks, stagedFiles, positions);
    }
}
