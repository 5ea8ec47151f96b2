package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The committables of one completed checkpoint as they reach the loader, and which of its files
 * are loaded already.
 *
 * <p>Each FileSink committer subtask first sends a summary announcing how many committables
 * follow, then those committables. The checkpoint is {@link #isComplete() complete} once every
 * committer subtask has sent its summary and all it announced: only then are its files all known
 * and its {@link CheckpointWatermark} meaningful. A summary that arrives twice for one subtask
 * (committables replayed after a recovery) adds to the announced count, as Flink's own committers
 * do; the duplicated files are loaded once, because loads go by file.
 */
final class PendingCheckpoint {

    /** What one committer subtask sent; {@code announced} is -1 until its summary arrived. */
    static final class Subtask {
        int announced = -1;
        final List<CommittedFile> received = new ArrayList<>();
    }

    private final long checkpointId;
    private int subtasks;
    private final Map<Integer, Subtask> bySubtask = new TreeMap<>();
    private final Set<String> loadedUrls = new TreeSet<>();

    PendingCheckpoint(long checkpointId) {
        this.checkpointId = checkpointId;
    }

    long checkpointId() {
        return checkpointId;
    }

    /** The number of committer subtasks; 0 until a summary arrived. */
    int subtasks() {
        return subtasks;
    }

    void setSubtasks(int subtasks) {
        this.subtasks = subtasks;
    }

    Map<Integer, Subtask> bySubtask() {
        return bySubtask;
    }

    Set<String> loadedUrls() {
        return loadedUrls;
    }

    void addSummary(int subtask, int subtaskCount, int committables) {
        subtasks = subtaskCount;
        Subtask entry = bySubtask.computeIfAbsent(subtask, id -> new Subtask());
        entry.announced = Math.max(entry.announced, 0) + committables;
    }

    void addCommittable(int subtask, CommittedFile committed) {
        bySubtask.computeIfAbsent(subtask, id -> new Subtask()).received.add(committed);
    }

    /** Whether every committer subtask has sent its summary and everything it announced. */
    boolean isComplete() {
        if (subtasks <= 0 || bySubtask.size() < subtasks) {
            return false;
        }
        for (Subtask subtask : bySubtask.values()) {
            if (subtask.announced < 0 || subtask.received.size() < subtask.announced) {
                return false;
            }
        }
        return true;
    }

    List<CommittedFile> committables() {
        List<CommittedFile> all = new ArrayList<>();
        for (Subtask subtask : bySubtask.values()) {
            all.addAll(subtask.received);
        }
        return all;
    }

    /** The files not loaded yet, distinct and sorted by url. */
    List<StagedFile> remainingFiles() {
        Map<String, StagedFile> byUrl = new TreeMap<>();
        for (CommittedFile committed : committables()) {
            committed
                    .file()
                    .filter(file -> !loadedUrls.contains(file.url()))
                    .ifPresent(file -> byUrl.putIfAbsent(file.url(), file));
        }
        return new ArrayList<>(byUrl.values());
    }

    void markLoaded(List<StagedFile> files) {
        for (StagedFile file : files) {
            loadedUrls.add(file.url());
        }
    }

    /** See {@link CheckpointWatermark}: known only when every writer subtask reported. */
    Optional<Long> watermark() {
        return CheckpointWatermark.of(committables());
    }

    Optional<String> jobId() {
        for (CommittedFile committed : committables()) {
            if (committed.jobId().isPresent()) {
                return committed.jobId();
            }
        }
        return Optional.empty();
    }
}
