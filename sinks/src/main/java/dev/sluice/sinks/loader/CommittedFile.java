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
 * the checkpoint cuts the files ({@code prepareCommit}) and sends it, with the writer subtask's
 * index and the writer's parallelism, on every committable and on one watermark carrier per
 * subtask and checkpoint; {@link CheckpointWatermark} takes the minimum over all writer subtasks.
 *
 * <p>Watermark carriers, and FileSink committables that only ask for a temporary file to be
 * cleaned up, carry no file; they are kept (as a {@code CommittedFile} without a file) rather than
 * dropped, so that the per-subtask committable counts announced in the checkpoint summaries stay
 * true and the subtask's watermark arrives.
 */
public final class CommittedFile {

    private final long checkpointId;
    @Nullable private final StagedFile file;
    @Nullable private final String jobId;
    @Nullable private final Long eventTimeWatermark;
    private final int writerSubtask;
    private final int writerSubtasks;

    public CommittedFile(long checkpointId, @Nullable StagedFile file) {
        this(checkpointId, file, null, null);
    }

    /** Without the writer subtask, as committables of older Sluice releases restore. */
    public CommittedFile(
            long checkpointId,
            @Nullable StagedFile file,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark) {
        this(
                checkpointId,
                file,
                jobId,
                eventTimeWatermark,
                StagedCommittable.UNKNOWN_SUBTASK,
                0);
    }

    /**
     * @param writerSubtask the index of the writer subtask that staged it, or -1 if unknown
     * @param writerSubtasks the writer's parallelism, or 0 if unknown
     */
    public CommittedFile(
            long checkpointId,
            @Nullable StagedFile file,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark,
            int writerSubtask,
            int writerSubtasks) {
        this.checkpointId = checkpointId;
        this.file = file;
        this.jobId = jobId;
        this.eventTimeWatermark = eventTimeWatermark;
        this.writerSubtask = writerSubtask;
        this.writerSubtasks = writerSubtasks;
    }

    /** The writer subtask that sent it; -1 for committables of older Sluice releases. */
    public int writerSubtask() {
        return writerSubtask;
    }

    /** The writer's parallelism at that checkpoint; 0 when unknown. */
    public int writerSubtasks() {
        return writerSubtasks;
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
                && Objects.equals(eventTimeWatermark, that.eventTimeWatermark)
                && writerSubtask == that.writerSubtask
                && writerSubtasks == that.writerSubtasks;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                checkpointId, file, jobId, eventTimeWatermark, writerSubtask, writerSubtasks);
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
                + ", writerSubtask="
                + writerSubtask
                + "/"
                + writerSubtasks
                + '}';
    }
}
