package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.sinks.warehouse.StagedFile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The committables of one checkpoint as they reach the loader, and which of its files are loaded
 * already.
 *
 * <h2>When a checkpoint is complete</h2>
 *
 * <p>A checkpoint is {@linkplain #isComplete() complete} once every writer subtask of the run that
 * took it has sent its watermark carrier, and the loader holds as many of that subtask's files as
 * the carrier counts. Only then are its files all known and its {@link CheckpointWatermark}
 * meaningful. The rule uses only what the writers said when the checkpoint cut their files: which
 * committer subtask carried a committable, and how many committer subtasks the job has when it
 * arrives, do not matter. That is what keeps it true across a rescale, when FileSink's committers
 * re-emit a checkpoint taken at parallelism N from the subtasks of a run at parallelism M, and only
 * those of them that restored a part of its state.
 *
 * <p>Checkpoints whose carriers count no files (committables restored from an older Sluice) never
 * become complete by this rule; {@link PendingLoads} completes them once a later checkpoint is.
 *
 * <p>A committable that arrives twice (replayed after a recovery) is kept once, and a file is
 * counted once per url, so replays never make a checkpoint look complete early.
 */
final class PendingCheckpoint {

    private final long checkpointId;
    private final Set<CommittedFile> received = new LinkedHashSet<>();
    private final Map<String, StagedFile> filesByUrl = new TreeMap<>();
    private final Map<Integer, Integer> filesByWriter = new HashMap<>();
    private final Map<Integer, CommittedFile> carriers = new TreeMap<>();
    private final Set<String> loadedUrls = new TreeSet<>();

    PendingCheckpoint(long checkpointId) {
        this.checkpointId = checkpointId;
    }

    long checkpointId() {
        return checkpointId;
    }

    /** Adds a committable of this checkpoint; one already held is ignored. */
    void add(CommittedFile committed) {
        if (!received.add(committed)) {
            return;
        }
        if (committed.isCountingCarrier()) {
            carriers.putIfAbsent(committed.writerSubtask(), committed);
        }
        committed
                .file()
                .ifPresent(
                        file -> {
                            if (filesByUrl.putIfAbsent(file.url(), file) == null) {
                                filesByWriter.merge(committed.writerSubtask(), 1, Integer::sum);
                            }
                        });
    }

    /** Whether every writer subtask of the checkpoint reported and all its files arrived. */
    boolean isComplete() {
        int writers = writerSubtasks();
        if (writers <= 0 || carriers.size() != writers) {
            return false;
        }
        for (int subtask = 0; subtask < writers; subtask++) {
            CommittedFile carrier = carriers.get(subtask);
            if (carrier == null
                    || carrier.writerSubtasks() != writers
                    || filesByWriter.getOrDefault(subtask, 0) < carrier.stagedFiles()) {
                return false;
            }
        }
        return true;
    }

    /** The writer's parallelism when this checkpoint was taken, or 0 while no carrier counted. */
    int writerSubtasks() {
        int writers = 0;
        for (CommittedFile carrier : carriers.values()) {
            writers = Math.max(writers, carrier.writerSubtasks());
        }
        return writers;
    }

    /**
     * What the checkpoint still waits for, in words for a log line: which writer subtasks have not
     * sent their carrier, and which sent fewer files than they counted.
     */
    String waitingFor() {
        int writers = writerSubtasks();
        if (writers <= 0) {
            return "no writer subtask has counted its files yet (committables of an earlier Sluice"
                    + " release, or the carriers are still on their way); it loads once a later"
                    + " checkpoint is complete";
        }
        List<Integer> silent = new ArrayList<>();
        List<String> short_ = new ArrayList<>();
        for (int subtask = 0; subtask < writers; subtask++) {
            CommittedFile carrier = carriers.get(subtask);
            if (carrier == null) {
                silent.add(subtask);
                continue;
            }
            int files = filesByWriter.getOrDefault(subtask, 0);
            if (files < carrier.stagedFiles()) {
                short_.add(subtask + " (" + files + " of " + carrier.stagedFiles() + " files)");
            }
        }
        StringBuilder words = new StringBuilder();
        if (!silent.isEmpty()) {
            words.append("carriers of writer subtasks ")
                    .append(silent)
                    .append(" of ")
                    .append(writers);
        }
        if (!short_.isEmpty()) {
            words.append(words.length() > 0 ? "; " : "")
                    .append("files of writer subtasks ")
                    .append(short_);
        }
        return words.length() > 0 ? words.toString() : "nothing";
    }

    /** Every committable received, in arrival order, each once. */
    List<CommittedFile> committables() {
        return new ArrayList<>(received);
    }

    Set<String> loadedUrls() {
        return loadedUrls;
    }

    /** The files not loaded yet, distinct and sorted by url. */
    List<StagedFile> remainingFiles() {
        List<StagedFile> remaining = new ArrayList<>();
        for (StagedFile file : filesByUrl.values()) {
            if (!loadedUrls.contains(file.url())) {
                remaining.add(file);
            }
        }
        return remaining;
    }

    void markLoaded(List<StagedFile> files) {
        for (StagedFile file : files) {
            loadedUrls.add(file.url());
        }
    }

    /** See {@link CheckpointWatermark}: known only when every writer subtask reported. */
    Optional<Long> watermark() {
        return CheckpointWatermark.of(received);
    }

    /**
     * The highest source position per shard over every writer subtask's carrier: how far the
     * checkpoint staged each shard. Meaningful, like the watermark, once the checkpoint is sealed.
     */
    SourcePositions positions() {
        SourcePositions positions = new SourcePositions();
        for (CommittedFile committed : received) {
            positions.merge(committed.positions());
        }
        return positions;
    }

    Optional<String> jobId() {
        for (CommittedFile committed : received) {
            if (committed.jobId().isPresent()) {
                return committed.jobId();
            }
        }
        return Optional.empty();
    }
}
