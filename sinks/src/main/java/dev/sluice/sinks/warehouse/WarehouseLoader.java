package dev.sluice.sinks.warehouse;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads the files of a completed checkpoint into the warehouse table, exactly once, however often
 * and in whatever grouping the same files are handed to it.
 *
 * <p>One {@link #load} call is one load:
 *
 * <ol>
 *   <li>drop files the ledger already holds (a cheap check without the lock); if none are left,
 *       return a {@link LoadResult.Status#SKIPPED} result;
 *   <li>compute the {@link LoadId} of the rest and write their manifest to {@code
 *       <manifestBasePath>/<loadId>.manifest} (same id, same content, so overwriting is fine);
 *   <li>in one transaction: lock the ledger; check again under the lock, which is the check that
 *       counts (if another loader got there first, drop its files and rewrite the manifest, or roll
 *       back and skip if nothing is left); COPY through the dialect, which leaves out the rows the
 *       table rejects, up to {@link CopyTarget#maxRejectedRows()} ({@link
 *       WarehouseDialect#copyIsolatingRejects}); write those rows to {@code errors/load-rejected/}
 *       ({@link RejectedRowsWriter}, which says why this is exactly once); record the load and its
 *       files in the ledger; commit.
 * </ol>
 *
 * <p>Any exception rolls the transaction back and propagates; the caller retries by calling again
 * with the same files, and whatever did commit is then skipped. The ledger tables are created on
 * the first call if absent. A connection is opened per call and closed before it returns, so a
 * loader holds nothing between checkpoints and survives warehouse restarts.
 *
 * <h2>Note to self: why the ledger keys files, not just loads</h2>
 *
 * <p>It is tempting to record only the load id, or, as Iceberg's Flink committer does, the highest
 * committed checkpoint id per job. Neither survives what the loader actually sees. After a recovery
 * Flink replays committables, and they may be grouped differently: checkpoint N's files together
 * with N+1's, or only the part of N that it had not yet acknowledged. A different grouping is a
 * different set of files, so a different load id, and a ledger of load ids would happily load the
 * overlapping files a second time. Checkpoint ids are worse still: they restart or jump when the
 * job is restored from a savepoint under a new job id, and they say nothing about which files a
 * checkpoint produced. The one thing that is stable across all of that is the file: FileSink gives
 * each part file a unique, never-reused name, and each file's rows go in whole or not at all. So
 * the question the ledger answers is "has this file landed in this table?", asked per file, under a
 * lock, in the same transaction that loads it. The per-load row is still kept for audit (manifest,
 * row count, checkpoint) and for the completeness watermark, but it is never what decides whether
 * to load.
 */
public final class WarehouseLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseLoader.class);

    /** The default of {@link CopyTarget#maxRejectedRows()}. */
    public static final int MAX_REJECTED_ROWS = CopyTarget.DEFAULT_MAX_REJECTED_ROWS;

    private final WarehouseLoaderConfig config;
    private final LoadLedger ledger;
    private final RejectedRowsWriter rejectedRows;
    private volatile boolean ledgerReady;

    public WarehouseLoader(WarehouseLoaderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ledger = new LoadLedger(config.ledger().ledgerSchema(), config.target().dialect());
        this.rejectedRows =
                RejectedRowsWriter.besideFailedLoads(config.ledger().failedLoadBasePath());
    }

    public WarehouseLoaderConfig config() {
        return config;
    }

    public LoadLedger ledger() {
        return ledger;
    }

    /**
     * Loads those of {@code files} that are not loaded yet into the target table.
     *
     * @param checkpointId the checkpoint that committed the files; recorded in the ledger
     * @param files the committed files; order and duplicates do not matter
     * @throws MalformedRecordException if a file has a line that cannot be loaded (postgres)
     * @throws IOException if a file or the manifest cannot be read or written
     * @throws SQLException if the warehouse fails; nothing of this call is then committed
     */
    public LoadResult load(long checkpointId, List<StagedFile> files)
            throws IOException, SQLException {
        return load(LoadMetadata.of(checkpointId), files);
    }

    /**
     * As {@link #load(long, List)}, recording the job id and event-time watermark of {@code
     * metadata} in the ledger for completeness queries.
     */
    public LoadResult load(LoadMetadata metadata, List<StagedFile> files)
            throws IOException, SQLException {
        return load(metadata, files, LoadStepListener.NONE);
    }

    /**
     * As {@link #load(LoadMetadata, List)}, telling {@code steps} as each {@link LoadStep} begins;
     * when this throws, the step last reported is the one that failed.
     */
    public LoadResult load(LoadMetadata metadata, List<StagedFile> files, LoadStepListener steps)
            throws IOException, SQLException {
        Objects.requireNonNull(steps, "steps");
        long checkpointId = metadata.checkpointId();
        long startedAt = System.nanoTime();
        Instant startedAtUtc = Instant.now();
        List<StagedFile> requested = distinctByUrl(files);
        if (requested.isEmpty()) {
            return LoadResult.skipped(checkpointId, List.of());
        }
        steps.reached(LoadStep.CONNECT);
        Connection connection = config.connectionProvider().open();
        Throwable failure = null;
        try {
            connection.setAutoCommit(false);
            steps.reached(LoadStep.LEDGER_TABLES);
            ensureLedger(connection);

            steps.reached(LoadStep.LEDGER_CHECK);
            Set<String> loadedBefore = ledger.alreadyLoaded(connection, target(), urls(requested));
            connection.commit();
            List<StagedFile> pending = without(requested, loadedBefore);
            if (pending.isEmpty()) {
                LOG.info(
                        "Checkpoint {}: all {} files were already loaded into {}; nothing to load",
                        checkpointId,
                        requested.size(),
                        target());
                return LoadResult.skipped(checkpointId, requested);
            }
            steps.reached(LoadStep.MANIFEST);
            PreparedLoad load = prepare(pending);

            steps.reached(LoadStep.LOCK);
            ledger.lock(connection, target());
            Set<String> loadedMeanwhile = ledger.alreadyLoaded(connection, target(), urls(pending));
            if (!loadedMeanwhile.isEmpty()) {
                pending = without(pending, loadedMeanwhile);
                if (pending.isEmpty()) {
                    connection.rollback();
                    LOG.info(
                            "Checkpoint {}: another loader loaded all {} files into {} first;"
                                    + " nothing to load",
                            checkpointId,
                            requested.size(),
                            target());
                    return LoadResult.skipped(checkpointId, requested);
                }
                load = prepare(pending);
            }

            steps.reached(LoadStep.COPY);
            WarehouseDialect.CopyResult copied =
                    config.target()
                            .dialect()
                            .copyIsolatingRejects(
                                    connection,
                                    config.target(),
                                    load.manifest,
                                    load.manifestUrl,
                                    config.target().maxRejectedRows());
            long rows = copied.rows();
            if (!copied.rejected().isEmpty()) {
                // Before the commit, under the lock: see RejectedRowsWriter for why exactly once.
                steps.reached(LoadStep.REJECTED_ROWS);
                List<String> written =
                        rejectedRows.write(target(), copied.rejected(), System.currentTimeMillis());
                LOG.warn(
                        "Checkpoint {}: {} rows were rejected by {} and written to {}",
                        checkpointId,
                        copied.rejected().size(),
                        target(),
                        written);
            }
            LoadResult result =
                    LoadResult.loaded(
                            checkpointId,
                            load.id,
                            load.manifestUrl,
                            pending,
                            without(requested, urls(pending)),
                            rows,
                            copied.rejected().size());
            steps.reached(LoadStep.LEDGER_RECORD);
            ledger.record(connection, target(), result, metadata, startedAtUtc, Instant.now());
            steps.reached(LoadStep.COMMIT);
            connection.commit();
            LOG.info(
                    "Checkpoint {}: loaded {} files ({} rows, {} bytes) into {} as load {} from {}"
                            + " in {} ms; {} files were already loaded",
                    checkpointId,
                    result.files().size(),
                    result.rows(),
                    result.bytes(),
                    target(),
                    result.loadId(),
                    result.manifestUrl(),
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
                    result.skippedFiles().size());
            return result;
        } catch (Throwable t) {
            failure = t;
            rollback(connection, t);
            if (t instanceof SQLException && !(t instanceof LoadRejectedException)) {
                List<LoadErrorDetail> details = loadErrors(connection, t);
                if (!details.isEmpty()) {
                    LoadRejectedException rejected =
                            new LoadRejectedException(t.getMessage(), (SQLException) t, details);
                    failure = rejected;
                    throw rejected;
                }
            }
            throw t;
        } finally {
            close(connection, failure);
        }
    }

    /** Manifest written, ready to COPY. */
    private static final class PreparedLoad {
        final LoadId id;
        final Manifest manifest;
        final String manifestUrl;

        PreparedLoad(LoadId id, Manifest manifest, String manifestUrl) {
            this.id = id;
            this.manifest = manifest;
            this.manifestUrl = manifestUrl;
        }
    }

    /** Computes the load id of these files and writes their manifest. */
    private PreparedLoad prepare(List<StagedFile> files) throws IOException {
        LoadId id = LoadId.forFiles(files);
        WarehouseDialect dialect = config.target().dialect();
        List<StagedFile> asWarehouseSeesThem = new ArrayList<>(files.size());
        for (StagedFile file : files) {
            asWarehouseSeesThem.add(
                    new StagedFile(dialect.warehouseUrl(file.url()), file.sizeBytes()));
        }
        Manifest manifest = Manifest.of(asWarehouseSeesThem);
        String manifestPath = config.ledger().manifestPath(id);
        writeManifest(manifestPath, manifest);
        return new PreparedLoad(id, manifest, dialect.warehouseUrl(manifestPath));
    }

    private static void writeManifest(String manifestPath, Manifest manifest) throws IOException {
        Path path = new Path(manifestPath);
        FileSystem fileSystem = FileSystem.get(path.toUri());
        try (FSDataOutputStream out = fileSystem.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(manifest.toJsonBytes());
        } catch (IOException e) {
            throw new IOException("Cannot write the manifest " + manifestPath, e);
        }
    }

    private void ensureLedger(Connection connection) throws SQLException {
        if (!ledgerReady) {
            ledger.ensureTables(connection);
            ledger.ensureLockTable(connection, target());
            ledgerReady = true;
        }
    }

    private TableName target() {
        return config.target().table();
    }

    /** The files with distinct urls, sorted by url; the same url twice must have one size. */
    private static List<StagedFile> distinctByUrl(List<StagedFile> files) {
        Map<String, StagedFile> byUrl = new TreeMap<>();
        for (StagedFile file : Objects.requireNonNull(files, "files")) {
            StagedFile previous = byUrl.putIfAbsent(file.url(), Objects.requireNonNull(file));
            if (previous != null && previous.sizeBytes() != file.sizeBytes()) {
                throw new IllegalArgumentException(
                        "The file "
                                + file.url()
                                + " is listed twice with different sizes: "
                                + previous.sizeBytes()
                                + " and "
                                + file.sizeBytes());
            }
        }
        return new ArrayList<>(byUrl.values());
    }

    private static List<String> urls(List<StagedFile> files) {
        List<String> urls = new ArrayList<>(files.size());
        for (StagedFile file : files) {
            urls.add(file.url());
        }
        return urls;
    }

    private static List<StagedFile> without(List<StagedFile> files, Collection<String> urls) {
        if (urls.isEmpty()) {
            return files;
        }
        Set<String> excluded = urls instanceof Set ? (Set<String>) urls : Set.copyOf(urls);
        List<StagedFile> kept = new ArrayList<>(files.size());
        for (StagedFile file : files) {
            if (!excluded.contains(file.url())) {
                kept.add(file);
            }
        }
        return kept;
    }

    /** The dialect's account of a rejected load; never hides the original failure. */
    private List<LoadErrorDetail> loadErrors(Connection connection, Throwable cause) {
        try {
            return config.target().dialect().loadErrors(connection);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return List.of();
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Closes without letting a failing close hide the outcome: after a failure it is suppressed
     * into that failure, after a commit it is only logged, because the load did happen.
     */
    private static void close(Connection connection, Throwable failure) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.warn("Closing the warehouse connection failed after the load completed", e);
            }
        }
    }

    /** Nothing to release: connections live only for one {@link #load} call. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "WarehouseLoader{" + config + '}';
    }
}
