package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import javax.annotation.Nullable;

import java.util.Objects;
import java.util.Optional;

/**
 * What the loader needs to know about one FileSink committable: the file that became visible,
 * if any, the checkpoint that committed it, the job that wrote it and, once the pipeline has event
 * time, the event-time watermark of the writing subtask at that checkpoint.
 *
 * <p>The watermark feeds the completeness ledger: {@link WatermarkRecordingWriter} takes it when
 * the checkpoint cuts the files ({@code prepareCommit}); the global committer takes the minimum
 * across a checkpoint's committables and records it with the load. While any committable of a
 * checkpoint lacks it, the load records none.
 *
 * <p>Some FileSink committables only ask for a temporary file to be cleaned up and carry no
 * file; they are kept (as an empty {@code CommittedFile}) rather than dropped so the per-subtask
 * committable counts that Flink's global committer checks stay equal to what was announced.
 */
public final class CommittedFile {

    private final long checkpointId;
    @Nullable private final StagedFile file;
    @Nullable private final String jobId;
    @Nullable private final Long eventTimeWatermark;

    public CommittedFile(long checkpointId, @Nullable StagedFile file) {
        this(checkpointId, file, null, null);
    }

    public CommittedFile(
            long checkpointId,
            @Nullable StagedFile file,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark) {
        this.checkpointId = checkpointId;
        this.file = file;
        this.jobId = jobId;
        this.eventTimeWatermark = eventTimeWatermark;
    }

    /** The Flink job id (hex) that staged the file, if known. */
    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }

    /** Epoch millis; empty until the pipeline supplies event time. */
    public Optional<Long> eventTimeWatermark() {
        return Optional.ofNullable(eventTimeWatermark);
    }

    public long checkpointId() {
        return checkpointId;
    }

    public Optional<StagedFile> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CommittedFile)) {
            return false;
        }
        CommittedFile that = (CommittedFile) o;
        return checkpointId == that.checkpointId
                && Objects.equals(file, that.file)
                && Objects.equals(jobId, that.jobId)
                && Objects.equals(eventTimeWatermark, that.eventTimeWatermark);
    }

    @Override
    public int hashCode() {
        return Objects.hash(checkpointId, file, jobId, eventTimeWatermark);
    }

    @Override
    public String toString() {
        return "CommittedFile{checkpointId="
                + checkpointId
                + ", file="
                + file
                + ", jobId="
                + jobId
                + ", eventTimeWatermark="
                + eventTimeWatermark
                + '}';
    }
}
