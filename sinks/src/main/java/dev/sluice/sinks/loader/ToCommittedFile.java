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
 * Reduces each committed {@link FileSinkCommittable} to the {@link CommittedFile} the loader needs
 * (url, size, checkpoint), one for one, passing checkpoint summaries through unchanged.
 *
 * <p>It fails loudly when a committed file has no path or size: Flink's bulk and row writers always
 * record both since 1.17, and a manifest entry without {@code content_length} would make Parquet
 * COPYs fail much later and far from the cause.
 */
final class ToCommittedFile
        extends RichMapFunction<
                CommittableMessage<StagedCommittable>, CommittableMessage<CommittedFile>> {

    private static final long serialVersionUID = 1L;

    @Override
    public CommittableMessage<CommittedFile> map(CommittableMessage<StagedCommittable> message) {
        if (message instanceof CommittableSummary) {
            return ((CommittableSummary<StagedCommittable>) message).map();
        }
        CommittableWithLineage<StagedCommittable> lineage =
                (CommittableWithLineage<StagedCommittable>) message;
        long checkpointId = lineage.getCheckpointIdOrEOI();
        String jobId = getRuntimeContext().getJobInfo().getJobId().toHexString();
        return lineage.map(staged -> toCommittedFile(checkpointId, jobId, staged));
    }

    static CommittedFile toCommittedFile(long checkpointId, FileSinkCommittable committable) {
        return toCommittedFile(checkpointId, null, new StagedCommittable(committable, null));
    }

    /**
     * With the job id, the writer subtask and its watermark at the cut (see {@link
     * StagedCommittable}); a watermark carrier becomes a {@code CommittedFile} without a file.
     */
    static CommittedFile toCommittedFile(
            long checkpointId, String jobId, StagedCommittable staged) {
        FileSinkCommittable committable = staged.committable();
        Long watermark = staged.watermark();
        if (committable == null) {
            return new CommittedFile(
                    checkpointId,
                    null,
                    jobId,
                    watermark,
                    staged.subtask(),
                    staged.subtasks(),
                    staged.stagedFiles(),
                    staged.positions());
        }
        if (!committable.hasPendingFile()) {
            return new CommittedFile(
                    checkpointId, null, jobId, watermark, staged.subtask(), staged.subtasks());
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
                checkpointId,
                new StagedFile(stagedUrl(path), size),
                jobId,
                watermark,
                staged.subtask(),
                staged.subtasks());
    }

    /**
     * A committed file's url: scheme, bucket and the object's key exactly as S3 stores it, with no
     * percent-escaping. This one string is the manifest entry and the ledger key. {@code
     * Path.toUri().toString()} would escape it ({@code %} → {@code %25}, space → {@code %20}), and
     * nothing in Redshift's manifest documentation says COPY un-escapes manifest urls (Developer
     * Guide, "Using a manifest to specify data files": each url is "the bucket name and full object
     * path"), so a {@code mandatory} entry would name an object that does not exist. Flink's {@code
     * Path.toString()} is built from the decoded path, which is also the key that
     * flink-s3-fs-hadoop wrote (S3A derives keys from {@code toUri().getPath()}), and {@code new
     * Path(url)} reads it back to the same file.
     */
    static String stagedUrl(Path path) {
        return path.toString();
    }
}
