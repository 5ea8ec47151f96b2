package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.StagedFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One load the {@link WarehouseLoaderOperator} hands to the warehouse: the files of one or more
 * consecutive completed checkpoints, oldest first, within the {@code MergeLimits}.
 *
 * @param filesByCheckpoint the files taken from each checkpoint, in checkpoint order
 * @param metadata what the ledger records: the highest checkpoint merged, the job id and the
 *     watermark of the newest checkpoint whose files are now all loaded, if every writer subtask
 *     reported one for it
 */
record LoadBatch(Map<Long, List<StagedFile>> filesByCheckpoint, LoadMetadata metadata) {

    LoadBatch {
        filesByCheckpoint = Collections.unmodifiableMap(filesByCheckpoint);
    }

    List<StagedFile> files() {
        List<StagedFile> files = new ArrayList<>();
        filesByCheckpoint.values().forEach(files::addAll);
        return files;
    }

    long bytes() {
        long bytes = 0;
        for (StagedFile file : files()) {
            bytes += file.sizeBytes();
        }
        return bytes;
    }
}
