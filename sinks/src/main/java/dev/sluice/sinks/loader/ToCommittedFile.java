package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.functions.sink.filesystem.InProgressFileWriter.PendingFileRecoverable;

/**
 * Reduces each committed {@link FileSinkCommittable} to the {@link CommittedFile} the loader
 * needs (url, size, checkpoint), one for one, passing checkpoint summaries through unchanged.
 *
 * <p>It fails loudly when a committed file has no path or size: Flink's bulk and row writers
 * always record both since 1.17, and a manifest entry without {@code content_length} would make
 * Parquet COPYs fail much later and far from the cause.
 */
final class ToCommittedFile
        extends RichMapFunction<
                CommittableMessage<FileSinkCommittable>, CommittableMessage<CommittedFile>> {

    private static final long serialVersionUID = 1L;

    @Override
    public CommittableMessage<CommittedFile> map(CommittableMessage<FileSinkCommittable> message) {
        if (message instanceof CommittableSummary) {
            return ((CommittableSummary<FileSinkCommittable>) message).map();
        }
        CommittableWithLineage<FileSinkCommittable> lineage =
                (CommittableWithLineage<FileSinkCommittable>) message;
        long checkpointId = lineage.getCheckpointIdOrEOI();
        String jobId = getRuntimeContext().getJobInfo().getJobId().toHexString();
        return lineage.map(committable -> toCommittedFile(checkpointId, jobId, committable));
    }

    static CommittedFile toCommittedFile(long checkpointId, FileSinkCommittable committable) {
        return toCommittedFile(checkpointId, null, committable);
    }

    /** The watermark stays empty: see {@link CommittedFile} for where it is to be set. */
    static CommittedFile toCommittedFile(
            long checkpointId, String jobId, FileSinkCommittable committable) {
        if (!committable.hasPendingFile()) {
            return new CommittedFile(checkpointId, null, jobId, null);
        }
        PendingFileRecoverable pending = committable.getPendingFile();
        Path path = pending.getPath();
        long size = pending.getSize();
        if (path == null || size < 0) {
            throw new IllegalStateException(
                    "A committed file has no recorded path or size (path="
                            + path
                            + ", size="
                            + size
                            + "); the warehouse manifest needs both");
        }
        return new CommittedFile(
                checkpointId, new StagedFile(path.toUri().toString(), size), jobId, null);
    }
}
