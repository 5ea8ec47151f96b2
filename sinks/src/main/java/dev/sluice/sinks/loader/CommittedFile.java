package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.sinks.warehouse.StagedFile;

import javax.annotation.Nullable;

import java.util.Objects;
import java.util.Optional;

/**
 * What the loader needs to know about one FileSink committable: the file that became visible, if
 * any, the checkpoint that committed it, the job that wrote it and, once the pipeline has event
 * time, the event-time watermark of the writing subtask at that checkpoint.
 *
 * <p>The watermark feeds the completeness ledger: {@link WatermarkRecordingWriter} takes it when
 * the checkpoint cuts the files ({@code prepareCommit}) and sends it, with the writer subtask's
 * index and the writer's parallelism, on every committable and on one watermark carrier per subtask
 * and checkpoint; {@link CheckpointWatermark} takes the minimum over all writer subtasks.
 *
 * <p>Watermark carriers, and FileSink committables that only ask for a temporary file to be cleaned
 * up, carry no file; they are kept (as a {@code CommittedFile} without a file) rather than dropped,
 * so that the subtask's watermark arrives. A carrier also says how many files its writer subtask
 * staged in the checkpoint ({@link #stagedFiles()}), which is how the loader knows that a
 * checkpoint's files are all there (see {@link PendingCheckpoint}).
 */
public final class CommittedFile {

    private final long checkpointId;
    @Nullable private final StagedFile file;
    @Nullable private final String jobId;
    @Nullable private final Long eventTimeWatermark;
    private final int writerSubtask;
    private final int writerSubtasks;
    private final int stagedFiles;
    private final SourcePositions positions;

    public CommittedFile(long checkpointId, @Nullable StagedFile file) {
        this(checkpointId, file, null, null);
    }

    /** Without the writer subtask, as committables of older Sluice releases restore. */
    public CommittedFile(
            long checkpointId,
            @Nullable StagedFile file,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark) {
        this(checkpointId, file, jobId, eventTimeWatermark, StagedCommittable.UNKNOWN_SUBTASK, 0);
    }

    /**
     * A file or a FileSink clean-up committable of a known writer subtask, or a watermark carrier
     * of a Sluice release that did not count its files.
     *
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
        this(
                checkpointId,
                file,
                jobId,
                eventTimeWatermark,
                writerSubtask,
                writerSubtasks,
                StagedCommittable.UNKNOWN_FILE_COUNT);
    }

    /**
     * @param writerSubtask the index of the writer subtask that staged it, or -1 if unknown
     * @param writerSubtasks the writer's parallelism, or 0 if unknown
     * @param stagedFiles on a watermark carrier, the files its writer subtask staged in the
     *     checkpoint; -1 on anything else
     */
    public CommittedFile(
            long checkpointId,
            @Nullable StagedFile file,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark,
            int writerSubtask,
            int writerSubtasks,
            int stagedFiles) {
        this(
                checkpointId,
                file,
                jobId,
                eventTimeWatermark,
                writerSubtask,
                writerSubtasks,
                stagedFiles,
                SourcePositions.none());
    }

    /**
     * @param positions on a watermark carrier, the highest source position per shard the writer
     *     subtask staged in the checkpoint; none on anything else
     */
    public CommittedFile(
            long checkpointId,
            @Nullable StagedFile file,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark,
            int writerSubtask,
            int writerSubtasks,
            int stagedFiles,
            SourcePositions positions) {
        if (file != null && stagedFiles != StagedCommittable.UNKNOWN_FILE_COUNT) {
            throw new IllegalArgumentException("Only a watermark carrier counts staged files");
        }
        this.checkpointId = checkpointId;
        this.file = file;
        this.jobId = jobId;
        this.eventTimeWatermark = eventTimeWatermark;
        this.writerSubtask = writerSubtask;
        this.writerSubtasks = writerSubtasks;
        this.stagedFiles = stagedFiles;
        this.positions = positions == null ? SourcePositions.none() : positions.copy();
        if (file != null && !this.positions.isEmpty()) {
            throw new IllegalArgumentException("Only a watermark carrier carries positions");
        }
    }

    /** A watermark carrier of the writer subtask {@code writerSubtask} that counts its files. */
    public static CommittedFile carrier(
            long checkpointId,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark,
            int writerSubtask,
            int writerSubtasks,
            int stagedFiles) {
        return carrier(
                checkpointId,
                jobId,
                eventTimeWatermark,
                writerSubtask,
                writerSubtasks,
                stagedFiles,
                SourcePositions.none());
    }

    /** As the other {@code carrier}, with the positions the writer subtask staged. */
    public static CommittedFile carrier(
            long checkpointId,
            @Nullable String jobId,
            @Nullable Long eventTimeWatermark,
            int writerSubtask,
            int writerSubtasks,
            int stagedFiles,
            SourcePositions positions) {
        if (stagedFiles < 0) {
            throw new IllegalArgumentException("A carrier counts 0 or more files: " + stagedFiles);
        }
        return new CommittedFile(
                checkpointId,
                null,
                jobId,
                eventTimeWatermark,
                writerSubtask,
                writerSubtasks,
                stagedFiles,
                positions);
    }

    /**
     * On a watermark carrier, the highest source position per shard its writer subtask staged in
     * the checkpoint; empty otherwise and for carriers of releases that did not record them.
     */
    public SourcePositions positions() {
        return positions.copy();
    }

    /**
     * The files the writer subtask staged in this checkpoint, if this is a watermark carrier that
     * counted them; -1 otherwise.
     */
    public int stagedFiles() {
        return stagedFiles;
    }

    /** Whether this is a watermark carrier that says how many files its writer subtask staged. */
    public boolean isCountingCarrier() {
        return file == null && stagedFiles >= 0 && writerSubtask >= 0 && writerSubtasks > 0;
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
                && writerSubtasks == that.writerSubtasks
                && stagedFiles == that.stagedFiles
                && positions.equals(that.positions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                checkpointId,
                file,
                jobId,
                eventTimeWatermark,
                writerSubtask,
                writerSubtasks,
                stagedFiles,
                positions);
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
                + (stagedFiles >= 0 ? ", stagedFiles=" + stagedFiles : "")
                + (positions.isEmpty() ? "" : ", positions=" + positions)
                + '}';
    }
}
