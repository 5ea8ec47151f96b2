package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseLoader;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.connector.sink2.Committer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The global committer of {@link LoadingFileSink}: loads the files of each completed checkpoint,
 * in checkpoint order, through one {@link WarehouseLoader}.
 *
 * <p>Flink calls it from a single subtask once every FileSink committer has reported its
 * committed files for a checkpoint, and again after recovery for files whose load may or may not
 * have happened. A failed load throws, which fails the task: Flink restarts from the last
 * checkpoint and the FileSink committer hands the same files over again, and the loader's ledger
 * loads only what it has not loaded before.
 */
final class WarehouseCommitter implements Committer<CommittedFile> {

    private final WarehouseLoader loader;

    WarehouseCommitter(WarehouseLoaderConfig config) {
        this(new WarehouseLoader(config));
    }

    WarehouseCommitter(WarehouseLoader loader) {
        this.loader = loader;
    }

    @Override
    public void commit(Collection<CommitRequest<CommittedFile>> requests)
            throws IOException, InterruptedException {
        Map<Long, List<StagedFile>> byCheckpoint = new TreeMap<>();
        for (CommitRequest<CommittedFile> request : requests) {
            CommittedFile committed = request.getCommittable();
            List<StagedFile> files =
                    byCheckpoint.computeIfAbsent(committed.checkpointId(), id -> new ArrayList<>());
            committed.file().ifPresent(files::add);
        }
        for (Map.Entry<Long, List<StagedFile>> checkpoint : byCheckpoint.entrySet()) {
            if (!checkpoint.getValue().isEmpty()) {
                try {
                    loader.load(checkpoint.getKey(), checkpoint.getValue());
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(
                            "Loading the files of checkpoint " + checkpoint.getKey() + " failed",
                            e);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }
}
