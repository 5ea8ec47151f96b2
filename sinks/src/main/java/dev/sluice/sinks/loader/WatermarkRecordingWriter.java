package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * FileSink's writer, unchanged, except that it remembers the last event-time watermark it was given
 * and attaches it to the committables of each checkpoint.
 *
 * <p>{@link #prepareCommit} runs when the checkpoint barrier reaches the writer, so the watermark
 * it attaches is the one that held when the checkpoint's files were cut: exactly what the
 * completeness ledger needs. Taking the watermark later, after the checkpoint completed, could
 * already count records that belong to the next checkpoint.
 *
 * <p>Besides its files, each checkpoint it also hands over one {@linkplain
 * StagedCommittable#carrier watermark carrier} with this subtask's index and the writer's
 * parallelism, files or not: a subtask that staged nothing in a checkpoint may be the one lagging
 * behind, and the loader must hear its watermark to take the minimum over all subtasks. The carrier
 * also counts the files the subtask staged in the checkpoint, so that the loader can tell when it
 * has them all (see {@link PendingCheckpoint}).
 *
 * <p>The carrier also holds, per stream and shard, the highest source position among the rows the
 * subtask wrote in the checkpoint ({@link RowPositions}); the loader merges them over the
 * checkpoints a load completes and records them in the ledger with the load. With aligned
 * checkpoints every earlier record of that shard was processed in this checkpoint or an earlier
 * one, which is what lets the ledger claim the shard is loaded through that position.
 */
final class WatermarkRecordingWriter<IN>
        implements StatefulSinkWriter<IN, FileWriterBucketState>,
                CommittingSinkWriter<IN, StagedCommittable> {

    private final StatefulSinkWriter<IN, FileWriterBucketState> state;
    private final CommittingSinkWriter<IN, FileSinkCommittable> committing;
    private final int subtask;
    private final int subtasks;
    private final RowPositions<IN> rowPositions;
    private Long watermark;
    private SourcePositions staged = new SourcePositions();

    /** A writer whose rows carry no source positions. */
    WatermarkRecordingWriter(
            StatefulSinkWriter<IN, FileWriterBucketState> fileWriter, int subtask, int subtasks) {
        this(fileWriter, subtask, subtasks, RowPositions.none());
    }

    /**
     * @param subtask this writer subtask's index
     * @param subtasks the writer's parallelism
     * @param rowPositions reads each row's source position
     */
    @SuppressWarnings("unchecked")
    WatermarkRecordingWriter(
            StatefulSinkWriter<IN, FileWriterBucketState> fileWriter,
            int subtask,
            int subtasks,
            RowPositions<IN> rowPositions) {
        if (subtask < 0 || subtask >= subtasks) {
            throw new IllegalArgumentException(
                    "Writer subtask " + subtask + " is not one of " + subtasks);
        }
        this.subtask = subtask;
        this.subtasks = subtasks;
        this.rowPositions = rowPositions;
        if (!(fileWriter instanceof CommittingSinkWriter)) {
            throw new IllegalArgumentException(
                    "FileSink's writer no longer commits: " + fileWriter.getClass());
        }
        this.state = fileWriter;
        this.committing = (CommittingSinkWriter<IN, FileSinkCommittable>) fileWriter;
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
        state.write(element, context);
        rowPositions.addTo(element, staged);
    }

    @Override
    public void writeWatermark(Watermark mark) throws IOException, InterruptedException {
        // Long.MIN_VALUE is "no watermark yet"; keep the field null until a real one arrives.
        if (mark.getTimestamp() != Long.MIN_VALUE) {
            watermark = mark.getTimestamp();
        }
        state.writeWatermark(mark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        state.flush(endOfInput);
    }

    @Override
    public Collection<StagedCommittable> prepareCommit() throws IOException, InterruptedException {
        Collection<FileSinkCommittable> committables = committing.prepareCommit();
        List<StagedCommittable> committablesOut = new ArrayList<>(committables.size() + 1);
        int files = 0;
        for (FileSinkCommittable committable : committables) {
            committablesOut.add(new StagedCommittable(committable, watermark, subtask, subtasks));
            if (committable.hasPendingFile()) {
                files++;
            }
        }
        committablesOut.add(StagedCommittable.carrier(watermark, subtask, subtasks, files, staged));
        staged = new SourcePositions();
        return committablesOut;
    }

    @Override
    public List<FileWriterBucketState> snapshotState(long checkpointId) throws IOException {
        return state.snapshotState(checkpointId);
    }

    @Override
    public void close() throws Exception {
        state.close();
    }
}
