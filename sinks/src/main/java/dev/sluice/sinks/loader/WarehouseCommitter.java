package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.RetryingLoader;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseLoader;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.connector.sink2.Committer;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The global committer of {@link LoadingFileSink}: loads the files of each completed checkpoint,
 * in checkpoint order, through one {@link RetryingLoader}.
 *
 * <p>Flink calls it from a single subtask once every FileSink committer has reported its
 * committed files for a checkpoint, and again after recovery for files whose load may or may not
 * have happened. Because there is exactly one such subtask and it loads synchronously, there is
 * never more than one COPY per table in flight from a job.
 *
 * <h2>Retrying in the task thread, and what that does to checkpoints</h2>
 *
 * <p>The global committer runs in its task's main thread, the thread that also handles
 * checkpoint barriers. While a load waits out a warehouse outage, this operator cannot take part
 * in a checkpoint, so checkpoints started in the meantime wait, and the job's data stops
 * flowing behind it (back pressure reaches the Kinesis source, which simply reads later; Kinesis
 * keeps the records for at least 24 hours, far longer than the 2-hour maximum retry window).
 * That stall is the price of a simple, provable exactly-once argument:
 *
 * <ul>
 *   <li>Until {@link #commit} returns, the committables are still in the operator's checkpointed
 *       state. If the task fails or is cancelled mid-wait, the job restores them and the next
 *       attempt skips whatever the ledger already holds. Nothing is lost, nothing loads twice.
 *   <li>{@link #commit} returns only once the files are in the table or their manifest is safely in
 *       {@code errors/load-failed/}; from then on the rows are recoverable by replay, through the
 *       same ledger, so dropping the committables is safe.
 *   <li>The wait is bounded by the retry window (at most 2 hours, Firehose's own maximum), so a
 *       checkpoint is delayed, never blocked forever. Each attempt is bounded too: the JDBC
 *       drivers' socket timeouts end a hung connection, which is then retried.
 * </ul>
 *
 * <p>The alternatives are worse. {@code CommitRequest.retryLater()} in Flink 1.19 retries at once
 * in a tight loop and then fails the job. Handing loads to a background thread and returning would
 * drop the committables from Flink's state before the rows are safe, so they would need a durable
 * queue of their own. A checkpoint that times out while a load waits counts as a failed
 * checkpoint: {@link LoadingFileSink#minimumCheckpointTimeout} gives the timeout the job must
 * allow, and the job sets it.
 */
final class WarehouseCommitter implements Committer<CommittedFile> {

    private final RetryingLoader loader;

    WarehouseCommitter(WarehouseLoaderConfig config) {
        this(new RetryingLoader(new WarehouseLoader(config)));
    }

    WarehouseCommitter(RetryingLoader loader) {
        this.loader = loader;
    }

    @Override
    public void commit(Collection<CommitRequest<CommittedFile>> requests)
            throws IOException, InterruptedException {
        Map<Long, List<CommittedFile>> byCheckpoint = new TreeMap<>();
        for (CommitRequest<CommittedFile> request : requests) {
            CommittedFile committed = request.getCommittable();
            byCheckpoint
                    .computeIfAbsent(committed.checkpointId(), id -> new ArrayList<>())
                    .add(committed);
        }
        for (Map.Entry<Long, List<CommittedFile>> checkpoint : byCheckpoint.entrySet()) {
            List<StagedFile> files = new ArrayList<>();
            checkpoint.getValue().forEach(c -> c.file().ifPresent(files::add));
            if (!files.isEmpty()) {
                loader.load(metadata(checkpoint.getKey(), checkpoint.getValue()), files);
            }
        }
    }

    /**
     * The job id and the {@link CheckpointWatermark} of a checkpoint's committables: no watermark
     * unless every writer subtask reported one, since a subtask without one could still hold
     * older records.
     */
    static LoadMetadata metadata(long checkpointId, List<CommittedFile> committables) {
        String jobId = null;
        for (CommittedFile committed : committables) {
            if (committed.jobId().isPresent()) {
                jobId = committed.jobId().get();
                break;
            }
        }
        return new LoadMetadata(
                checkpointId,
                jobId,
                CheckpointWatermark.of(committables).map(Instant::ofEpochMilli).orElse(null));
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }
}
