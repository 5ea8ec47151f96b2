package dev.sluice.sinks.loader;

import org.apache.flink.connector.file.sink.FileSinkCommittable;

import javax.annotation.Nullable;

import java.util.Objects;

/**
 * A FileSink committable plus the event-time watermark its writer subtask had seen when the
 * checkpoint cut the file: every record with an earlier event time that reached this subtask
 * before the cut is in this file or an earlier one.
 *
 * @param committable what FileSink's own committer commits
 * @param watermark epoch millis, or null when the writer had seen no watermark yet
 */
record StagedCommittable(FileSinkCommittable committable, @Nullable Long watermark) {

    StagedCommittable {
        Objects.requireNonNull(committable, "committable");
    }

    StagedCommittable with(FileSinkCommittable replacement) {
        return new StagedCommittable(replacement, watermark);
    }
}
