package dev.sluice.sinks.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Runs a {@link WarehouseLoader} load until it succeeds, or gives up and puts it in {@code
 * errors/load-failed/} so that delivery goes on with the next load.
 *
 * <ul>
 *   <li>A failure {@link LoadFailureClassifier} calls {@link LoadFailureClassifier.Kind#DATA} gives
 *       up at once: the same COPY would fail the same way.
 *   <li>A transient failure is retried after {@link LoadRetryPolicy#backoff}, until the retry
 *       window, counted from the first attempt, has passed; the last wait is cut short so that one
 *       attempt happens right at the end of the window.
 *   <li>Giving up writes the load's manifest and a {@link FailedLoad} document through {@link
 *       FailedLoadWriter} and returns normally. If even that write fails, the exception propagates
 *       (and the caller fails): nothing may be dropped silently.
 * </ul>
 *
 * <p>Every attempt is the whole {@link WarehouseLoader#load} transaction, so a retry after a
 * failure at any point (even after a commit whose acknowledgement was lost) loads only the files
 * the ledger does not hold yet. A load that gave up lists all the files it was given, including any
 * that an earlier attempt may have loaded: replay goes through the same ledger and skips them.
 *
 * <p>A {@link LoadFailureClassifier.Kind#PERMANENT} failure (authentication refused, access denied)
 * is neither retried nor written off: it is thrown as a {@link PermanentLoadFailureException},
 * which fails the task, so Flink's restart strategy bounds the attempts and the job ends FAILED
 * with that root cause instead of looping through retry windows.
 *
 * <p>Programming errors ({@link IllegalArgumentException}, {@link IllegalStateException}, {@link
 * NullPointerException}) are not retried and not written off: they propagate.
 */
public final class RetryingLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingLoader.class);

    /** Waits; replaceable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final WarehouseLoader loader;
    private final LoadRetryPolicy policy;
    private final FailedLoadWriter failedLoads;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    public RetryingLoader(WarehouseLoader loader, LoadRetryPolicy policy) {
        this(
                loader,
                policy,
                Clock.systemUTC(),
                duration -> Thread.sleep(duration.toMillis()),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    public RetryingLoader(
            WarehouseLoader loader,
            LoadRetryPolicy policy,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier random) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.failedLoads = new FailedLoadWriter(loader.config().ledger().failedLoadBasePath());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    public WarehouseLoader loader() {
        return loader;
    }

    /**
     * Loads the files, retrying transient failures within the retry window.
     *
     * @return delivered, or gave up with the load-failed manifest's path
     * @throws IOException if the load gave up and its manifest could not be written
     * @throws InterruptedException if the thread is interrupted while waiting to retry
     */
    public LoadOutcome load(long checkpointId, List<StagedFile> files)
            throws IOException, InterruptedException {
        return load(LoadMetadata.of(checkpointId), files);
    }

    /** As {@link #load(long, List)}, with the job id and watermark the ledger records. */
    public LoadOutcome load(LoadMetadata metadata, List<StagedFile> files)
            throws IOException, InterruptedException {
        long checkpointId = metadata.checkpointId();
        Instant firstAttempt = clock.instant();
        Instant deadline = firstAttempt.plus(policy.retryDuration());
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                return LoadOutcome.delivered(loader.load(metadata, files), attempt);
            } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
                throw e;
            } catch (IOException | SQLException | RuntimeException e) {
                failure = e;
            }
            LoadFailureClassifier.Kind kind = LoadFailureClassifier.classify(failure);
            Instant now = clock.instant();
            if (kind == LoadFailureClassifier.Kind.PERMANENT) {
                throw new PermanentLoadFailureException(
                        "Checkpoint "
                                + checkpointId
                                + ": loading into "
                                + loader.config().target().table()
                                + " failed for a reason no retry fixes ("
                                + (sqlState(failure) == null
                                        ? "no SQLState"
                                        : "SQLState " + sqlState(failure))
                                + ": the warehouse refused the credentials, or S3 denied access);"
                                + " fix the credentials or permissions: the job fails after its"
                                + " restart strategy's attempts instead of retrying for "
                                + policy.retryDuration().toSeconds()
                                + " s",
                        failure);
            }
            if (kind == LoadFailureClassifier.Kind.DATA) {
                return giveUp(
                        checkpointId, files, failure, FailedLoad.DATA_ERROR, attempt, firstAttempt);
            }
            if (!now.isBefore(deadline)) {
                return giveUp(
                        checkpointId,
                        files,
                        failure,
                        FailedLoad.RETRIES_EXHAUSTED,
                        attempt,
                        firstAttempt);
            }
            Duration wait = policy.backoff(attempt - 1, random);
            Duration left = Duration.between(now, deadline);
            if (wait.compareTo(left) > 0) {
                wait = left;
            }
            LOG.warn(
                    "Checkpoint {}: load attempt {} into {} failed ({}); retrying in {} ms, {} s"
                            + " left of the retry window: {}",
                    checkpointId,
                    attempt,
                    loader.config().target().table(),
                    sqlState(failure),
                    wait.toMillis(),
                    left.toSeconds(),
                    describe(failure));
            sleeper.sleep(wait);
        }
    }

    private LoadOutcome giveUp(
            long checkpointId,
            List<StagedFile> files,
            Exception failure,
            String reason,
            int attempts,
            Instant firstAttempt)
            throws IOException {
        List<StagedFile> distinct = distinct(files);
        LoadId id = LoadId.forFiles(distinct);
        Instant failedAt = clock.instant();
        long bytes = distinct.stream().mapToLong(StagedFile::sizeBytes).sum();
        FailedLoad document =
                new FailedLoad(
                        id.value(),
                        loader.config().target().table().toString(),
                        checkpointId,
                        reason,
                        attempts,
                        firstAttempt.toString(),
                        failedAt.toString(),
                        sqlState(failure),
                        describe(failure),
                        details(failure),
                        distinct.size(),
                        bytes);
        String path;
        try {
            path = failedLoads.write(Manifest.of(distinct), document, failedAt);
        } catch (IOException e) {
            e.addSuppressed(failure);
            throw e;
        }
        LOG.error(
                "Checkpoint {}: gave up loading {} files ({} bytes) into {} after {} attempt(s)"
                        + " ({}); their manifest is {} — load them later with ./sluice replay: {}",
                checkpointId,
                distinct.size(),
                bytes,
                loader.config().target().table(),
                attempts,
                reason,
                path,
                document.message());
        return LoadOutcome.gaveUp(document, path);
    }

    /** The failure's messages, outermost first, without input values. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 5; t = t.getCause(), depth++) {
            String message = t.getMessage();
            if (message == null || text.indexOf(firstLine(message)) >= 0) {
                continue;
            }
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(firstLine(message));
        }
        return ErrorMessages.withoutValues(text.toString());
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }

    /** File, line and column from the warehouse, or from a malformed staged line. */
    static List<LoadErrorDetail> details(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LoadRejectedException) {
                return ((LoadRejectedException) t).details();
            }
            if (t instanceof MalformedRecordException) {
                MalformedRecordException malformed = (MalformedRecordException) t;
                return List.of(
                        new LoadErrorDetail(
                                malformed.fileUrl(),
                                malformed.lineNumber(),
                                null,
                                null,
                                ErrorMessages.withoutValues(malformed.getMessage())));
            }
        }
        return List.of();
    }

    private static List<StagedFile> distinct(List<StagedFile> files) {
        Map<String, StagedFile> byUrl = new TreeMap<>();
        for (StagedFile file : files) {
            byUrl.putIfAbsent(file.url(), file);
        }
        return new ArrayList<>(byUrl.values());
    }

    @Override
    public void close() {
        loader.close();
    }
}
