package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.StagedFile;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every committed file the loader has received and not yet seen confirmed as loaded, by checkpoint:
 * the state of {@link WarehouseLoaderOperator}.
 *
 * <p>Files leave only through {@link #loaded}, after their load returned (delivered, or written off
 * to {@code errors/load-failed/}); a file in a load that is still running stays here, so a snapshot
 * taken meanwhile still holds it, and after a restore it is loaded again — which the ledger turns
 * into a no-op if the first load did commit.
 *
 * <h2>Which checkpoints may load</h2>
 *
 * <p>A checkpoint may load once it is <em>sealed</em>: it, or any later checkpoint, is {@linkplain
 * PendingCheckpoint#isComplete() complete}. A later complete checkpoint proves an earlier one has
 * all its files: FileSink's committer subtasks hand checkpoints over strictly in checkpoint order,
 * each committer subtask over its own channel, and a complete checkpoint has a carrier from every
 * writer subtask, hence from every committer channel, so whatever those channels carried before it
 * has arrived. This is what completes a checkpoint taken before a rescale, whose re-emitted files
 * come from another set of committer subtasks, and checkpoints restored from an older Sluice whose
 * carriers do not count files. The highest sealed checkpoint is kept in the state.
 *
 * <p>{@link #nextBatch} takes sealed checkpoints strictly in checkpoint order and stops at the
 * first one that is not, so that the completeness watermark never runs ahead of a hole. For the
 * same reason a load's source positions are those of the checkpoints it loads whole: a position may
 * only claim rows that the load's transaction, or an earlier one, put in the table.
 *
 * <h2>Checkpoints with source positions load whole</h2>
 *
 * <p>The merge limits normally cut a load between two files, even inside a checkpoint. A checkpoint
 * whose carriers hold source positions is never cut: the rows of part of it would be in the table
 * while no position could claim them (its rows are not a prefix of any shard), and a start without
 * Flink state would then read and load them again. Such a checkpoint joins a load only if all its
 * remaining files fit, and one that does not fit even alone is loaded alone, over the limits (as a
 * single file larger than them always was). Checkpoints without positions (staged by an older
 * release) are still cut as before.
 *
 * <p>FileSink's checkpoint summaries are not used: they count committables per committer subtask,
 * and after a rescale the committer subtasks that re-emit a checkpoint are not those that took it.
 */
final class PendingLoads {

    /** No checkpoint is sealed yet. */
    static final long NONE_SEALED = Long.MIN_VALUE;

    private final NavigableMap<Long, PendingCheckpoint> checkpoints = new TreeMap<>();
    private long sealedThrough = NONE_SEALED;

    /**
     * Adds a committable from a FileSink committer subtask; summaries are ignored (see the class
     * comment).
     */
    void add(CommittableMessage<CommittedFile> message) {
        if (!(message instanceof CommittableWithLineage)) {
            return;
        }
        add(((CommittableWithLineage<CommittedFile>) message).getCommittable());
    }

    /** Adds a committable to its checkpoint, sealing it and every earlier one once complete. */
    void add(CommittedFile committed) {
        long checkpointId = committed.checkpointId();
        PendingCheckpoint checkpoint =
                checkpoints.computeIfAbsent(checkpointId, PendingCheckpoint::new);
        checkpoint.add(committed);
        if (checkpointId > sealedThrough && checkpoint.isComplete()) {
            sealedThrough = checkpointId;
        }
    }

    /** Takes in another state's checkpoints, as when several state entries are restored. */
    void merge(PendingLoads other) {
        for (PendingCheckpoint checkpoint : other.checkpoints.values()) {
            checkpoint.committables().forEach(this::add);
            checkpoints
                    .computeIfAbsent(checkpoint.checkpointId(), PendingCheckpoint::new)
                    .loadedUrls()
                    .addAll(checkpoint.loadedUrls());
        }
        sealThrough(other.sealedThrough);
    }

    /** Whether the checkpoint may load: it or a later one is complete. */
    boolean isSealed(long checkpointId) {
        return checkpointId <= sealedThrough;
    }

    /** The highest checkpoint known to be complete, or {@link #NONE_SEALED}. */
    long sealedThrough() {
        return sealedThrough;
    }

    /** After a restore: the highest sealed checkpoint of the restored state. */
    void sealThrough(long checkpointId) {
        sealedThrough = Math.max(sealedThrough, checkpointId);
    }

    /**
     * The next load: the remaining files of the sealed checkpoints, oldest first, as many as the
     * limits allow (at least one file). Completed checkpoints with nothing left to load are dropped
     * on the way, unless a load includes them: then they count as merged into it.
     *
     * @return null when no sealed checkpoint has a file to load
     */
    @Nullable
    LoadBatch nextBatch(MergeLimits limits) {
        Map<Long, List<StagedFile>> taken = new LinkedHashMap<>();
        int files = 0;
        long bytes = 0;
        PendingCheckpoint newestWhole = null;
        PendingCheckpoint newest = null;
        SourcePositions positions = new SourcePositions();
        Iterator<PendingCheckpoint> it = checkpoints.values().iterator();
        while (it.hasNext()) {
            PendingCheckpoint checkpoint = it.next();
            if (!isSealed(checkpoint.checkpointId())) {
                break;
            }
            List<StagedFile> remaining = checkpoint.remainingFiles();
            if (remaining.isEmpty() && files == 0) {
                it.remove();
                continue;
            }
            // A checkpoint with source positions is never split (see the class comment).
            boolean whole = !checkpoint.positions().isEmpty();
            if (whole && files > 0 && !fits(limits, files, bytes, remaining)) {
                break;
            }
            List<StagedFile> fromThis = new ArrayList<>();
            boolean full = false;
            for (StagedFile file : remaining) {
                if (!whole
                        && files > 0
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
            positions.merge(checkpoint.positions());
        }
        if (files == 0) {
            return null;
        }
        Long watermark = newestWhole == null ? null : newestWhole.watermark().orElse(null);
        LoadMetadata metadata =
                new LoadMetadata(
                        newest.checkpointId(),
                        newest.jobId().orElse(null),
                        watermark == null ? null : Instant.ofEpochMilli(watermark),
                        positions);
        return new LoadBatch(taken, metadata);
    }

    /**
     * Whether {@code more} files still fit into a load of {@code files} files and {@code bytes}.
     */
    private static boolean fits(MergeLimits limits, int files, long bytes, List<StagedFile> more) {
        long moreBytes = 0;
        for (StagedFile file : more) {
            moreBytes += file.sizeBytes();
        }
        return files + more.size() <= limits.maxFiles() && bytes + moreBytes <= limits.maxBytes();
    }

    /** Forgets the files of a load that returned; drops checkpoints with nothing left. */
    void loaded(LoadBatch batch) {
        for (Map.Entry<Long, List<StagedFile>> entry : batch.filesByCheckpoint().entrySet()) {
            PendingCheckpoint checkpoint = checkpoints.get(entry.getKey());
            if (checkpoint == null) {
                continue;
            }
            checkpoint.markLoaded(entry.getValue());
            if (isSealed(entry.getKey()) && checkpoint.remainingFiles().isEmpty()) {
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

    /** Whether a sealed checkpoint still has files to load. */
    boolean hasLoadableFiles() {
        for (PendingCheckpoint checkpoint : checkpoints.values()) {
            if (!isSealed(checkpoint.checkpointId())) {
                return false;
            }
            if (!checkpoint.remainingFiles().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The oldest checkpoint that holds files and may not load yet, if any. */
    Optional<PendingCheckpoint> oldestWaiting() {
        for (PendingCheckpoint checkpoint : checkpoints.values()) {
            if (!isSealed(checkpoint.checkpointId()) && !checkpoint.remainingFiles().isEmpty()) {
                return Optional.of(checkpoint);
            }
        }
        return Optional.empty();
    }

    NavigableMap<Long, PendingCheckpoint> checkpoints() {
        return checkpoints;
    }
}
