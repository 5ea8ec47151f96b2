package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.StagedFile;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Every committed file the loader has received and not yet seen confirmed as loaded, by
 * checkpoint: the state of {@link WarehouseLoaderOperator}.
 *
 * <p>Files leave only through {@link #loaded}, after their load returned (delivered, or written
 * off to {@code errors/load-failed/}); a file in a load that is still running stays here, so a
 * snapshot taken meanwhile still holds it, and after a restore it is loaded again — which the
 * ledger turns into a no-op if the first load did commit.
 *
 * <p>{@link #nextBatch} takes completed checkpoints strictly in checkpoint order and stops at the
 * first incomplete one, so that the completeness watermark never runs ahead of a hole.
 */
final class PendingLoads {

    private final NavigableMap<Long, PendingCheckpoint> checkpoints = new TreeMap<>();

    /** Adds a summary or committable from a FileSink committer subtask. */
    void add(CommittableMessage<CommittedFile> message) {
        long checkpointId = message.getCheckpointIdOrEOI();
        PendingCheckpoint checkpoint =
                checkpoints.computeIfAbsent(checkpointId, PendingCheckpoint::new);
        if (message instanceof CommittableSummary) {
            CommittableSummary<CommittedFile> summary = (CommittableSummary<CommittedFile>) message;
            checkpoint.addSummary(
                    summary.getSubtaskId(),
                    summary.getNumberOfSubtasks(),
                    summary.getNumberOfCommittables());
        } else {
            CommittableWithLineage<CommittedFile> lineage =
                    (CommittableWithLineage<CommittedFile>) message;
            checkpoint.addCommittable(lineage.getSubtaskId(), lineage.getCommittable());
        }
    }

    /**
     * The next load: the remaining files of the completed checkpoints, oldest first, as many as the
     * limits allow (at least one file). Completed checkpoints with nothing left to load are
     * dropped on the way, unless a load includes them: then they count as merged into it.
     *
     * @return null when no completed checkpoint has a file to load
     */
    @Nullable
    LoadBatch nextBatch(MergeLimits limits) {
        Map<Long, List<StagedFile>> taken = new LinkedHashMap<>();
        int files = 0;
        long bytes = 0;
        PendingCheckpoint newestWhole = null;
        PendingCheckpoint newest = null;
        Iterator<PendingCheckpoint> it = checkpoints.values().iterator();
        while (it.hasNext()) {
            PendingCheckpoint checkpoint = it.next();
            if (!checkpoint.isComplete()) {
                break;
            }
            List<StagedFile> remaining = checkpoint.remainingFiles();
            if (remaining.isEmpty() && files == 0) {
                it.remove();
                continue;
            }
            List<StagedFile> fromThis = new ArrayList<>();
            boolean full = false;
            for (StagedFile file : remaining) {
                if (files > 0
                        && (files + 1 > limits.maxFiles()
                                || bytes + file.sizeBytes() > limits.maxBytes())) {
                    full = true;
                    break;
                }
                fromThis.add(file);
                files++;
                bytes += file.sizeBytes();
            }
            if (!fromThis.isEmpty() || !full) {
                taken.put(checkpoint.checkpointId(), fromThis);
                newest = checkpoint;
            }
            if (full) {
                break;
            }
            newestWhole = checkpoint;
        }
        if (files == 0) {
            return null;
        }
        Long watermark = newestWhole == null ? null : newestWhole.watermark().orElse(null);
        LoadMetadata metadata =
                new LoadMetadata(
                        newest.checkpointId(),
                        newest.jobId().orElse(null),
                        watermark == null ? null : Instant.ofEpochMilli(watermark));
        return new LoadBatch(taken, metadata);
    }

    /** Forgets the files of a load that returned; drops checkpoints with nothing left. */
    void loaded(LoadBatch batch) {
        for (Map.Entry<Long, List<StagedFile>> entry : batch.filesByCheckpoint().entrySet()) {
            PendingCheckpoint checkpoint = checkpoints.get(entry.getKey());
            if (checkpoint == null) {
                continue;
            }
            checkpoint.markLoaded(entry.getValue());
            if (checkpoint.isComplete() && checkpoint.remainingFiles().isEmpty()) {
                checkpoints.remove(entry.getKey());
            }
        }
    }

    /** Files not yet confirmed loaded, in complete and incomplete checkpoints alike. */
    int pendingFiles() {
        int files = 0;
        for (PendingCheckpoint checkpoint : checkpoints.values()) {
            files += checkpoint.remainingFiles().size();
        }
        return files;
    }

    /** Whether a completed checkpoint still has files to load. */
    boolean hasLoadableFiles() {
        for (PendingCheckpoint checkpoint : checkpoints.values()) {
            if (!checkpoint.isComplete()) {
                return false;
            }
            if (!checkpoint.remainingFiles().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    NavigableMap<Long, PendingCheckpoint> checkpoints() {
        return checkpoints;
    }
}
