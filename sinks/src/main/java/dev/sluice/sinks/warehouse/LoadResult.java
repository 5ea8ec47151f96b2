package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link WarehouseLoader#load} call did.
 *
 * @param status whether rows were loaded or every file had been loaded before
 * @param checkpointId the checkpoint the caller loaded for
 * @param loadId the load's id; null when skipped
 * @param manifestUrl the manifest the load used, as the warehouse saw it; null when skipped
 * @param files the files loaded by this call, sorted by url (empty when skipped)
 * @param skippedFiles the requested files the ledger already held
 * @param rows rows loaded into the target table
 * @param bytes total size of {@code files}
 * @param rejectedRows rows of {@code files} the warehouse refused, written to {@code
 *     errors/load-rejected/} instead (see {@link RejectedRowsWriter})
 */
public record LoadResult(
        Status status,
        long checkpointId,
        @Nullable String loadId,
        @Nullable String manifestUrl,
        List<StagedFile> files,
        List<StagedFile> skippedFiles,
        long rows,
        long bytes,
        long rejectedRows) {

    /** Whether a call loaded anything. */
    public enum Status {
        /** Rows were copied and the ledger recorded them, in one committed transaction. */
        LOADED,
        /** Every requested file was already in the ledger; nothing was changed. */
        SKIPPED
    }

    public LoadResult {
        Objects.requireNonNull(status, "status");
        files = List.copyOf(files);
        skippedFiles = List.copyOf(skippedFiles);
    }

    static LoadResult loaded(
            long checkpointId,
            LoadId loadId,
            String manifestUrl,
            List<StagedFile> files,
            List<StagedFile> skippedFiles,
            long rows,
            long rejectedRows) {
        long bytes = 0;
        for (StagedFile file : files) {
            bytes += file.sizeBytes();
        }
        return new LoadResult(
                Status.LOADED,
                checkpointId,
                loadId.value(),
                manifestUrl,
                files,
                skippedFiles,
                rows,
                bytes,
                rejectedRows);
    }

    static LoadResult skipped(long checkpointId, List<StagedFile> skippedFiles) {
        return new LoadResult(
                Status.SKIPPED, checkpointId, null, null, List.of(), skippedFiles, 0, 0, 0);
    }

    /** True when this call loaded rows (possibly zero rows from empty files). */
    public boolean loaded() {
        return status == Status.LOADED;
    }
}
