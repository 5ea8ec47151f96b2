package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.LoadOutcome;
import dev.sluice.sinks.warehouse.RetryingLoader;
import dev.sluice.sinks.warehouse.WarehouseLoader;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The loader: a single-parallelism operator after FileSink's committers that loads committed files
 * into the warehouse, one load at a time, on a background thread, merging the files of several
 * completed checkpoints into one load when it has fallen behind.
 *
 * <h2>What it does</h2>
 *
 * <p>It receives each completed checkpoint's committed files (and the writers' watermark carriers)
 * from every FileSink committer subtask and keeps them in {@link PendingLoads}, which is its
 * checkpointed state. Whenever no load is running and a checkpoint whose files have all arrived has
 * files (see {@link PendingLoads} for how it knows, across rescales too), it takes the oldest such
 * checkpoints' files, up to the {@link MergeLimits}, as one {@link LoadBatch} and hands it to
 * {@link RetryingLoader} on its single background thread. When that returns — the rows committed
 * with their ledger rows, or the load written off to {@code errors/load-failed/} — the result comes
 * back through the task's mailbox, the files leave the state, the metrics move, and the next load
 * starts with everything that arrived meanwhile. So there is never more than one COPY per table in
 * flight from a job, loads go in checkpoint order, and a backlog turns into a few large loads
 * rather than one small load per checkpoint.
 *
 * <h2>Why a background thread</h2>
 *
 * <p>Loading in the task thread (as Flink's global committer does) stalls the job's checkpoints for
 * as long as a load waits out a warehouse outage, up to the whole retry window, and it can never
 * fall behind, so it can never merge: each checkpoint waits for the previous load. On a background
 * thread, checkpoints, S3 staging and Kinesis reading go on while a load runs or retries; the files
 * of the checkpoints completed meanwhile pile up in the state and go in the next load together.
 *
 * <h2>Why this is still exactly once</h2>
 *
 * <ul>
 *   <li>A file leaves the state only after its load returned on the mailbox thread. Every snapshot
 *       therefore holds every file not confirmed loaded, including those of the load in progress.
 *   <li>After a restore, all of them are loaded again. The {@link WarehouseLoader} checks each file
 *       against the ledger under the ledger lock in the load's own transaction, so files whose load
 *       did commit are skipped, however the restored files are regrouped into loads.
 *   <li>A load still running on the thread of a failed attempt cannot overlap the new attempt's
 *       COPY of the same files either: both take the ledger lock, and the later one then finds the
 *       files loaded.
 *   <li>An exception other than a written-off load (for example S3 refusing the {@code
 *       errors/load-failed/} document) fails the task through the mailbox, and the files are
 *       restored from the last checkpoint.
 * </ul>
 *
 * <h2>Never a silent stall</h2>
 *
 * <p>When files have waited for {@value #STALL_CHECKPOINTS} or more completed checkpoints while no
 * load runs, the loader logs which checkpoint waits and for which writer subtasks, and the gauge
 * {@code OldestPendingLoadFileAgeMs} keeps growing, so a stall shows on a dashboard and in the log.
 *
 * <h2>One subtask, its own vertex</h2>
 *
 * <p>It runs as exactly one subtask, never chained into the committers' vertex: chaining would make
 * the vertex, and so the max parallelism its state is recorded under, depend on the job's
 * parallelism (at parallelism 1 it would chain), and a checkpoint taken at one parallelism would
 * not restore at another. Its max parallelism is left to Flink, so that state recorded under either
 * value by earlier releases restores. {@link #open} refuses to run at any other parallelism (an
 * autoscaler's per-vertex override, say), since loads must be serialized.
 *
 * <p>At end of input (a bounded run, or stop-with-savepoint {@code --drain}) {@link #endInput}
 * waits for every pending load, so nothing is left behind in a finished job's state.
 */
final class WarehouseLoaderOperator extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<CommittableMessage<CommittedFile>, Void>,
                BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseLoaderOperator.class);

    /** How long {@link #close()} waits for a running load to notice its interruption. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    /** Completed checkpoints files may wait, with no load running, before that is a stall. */
    static final int STALL_CHECKPOINTS = 3;

    /** How many completed checkpoints apart a continuing stall is logged again. */
    private static final int STALL_LOG_EVERY = 10;

    static final ListStateDescriptor<byte[]> PENDING_STATE =
            new ListStateDescriptor<>(
                    "sluice-pending-loads", BytePrimitiveArraySerializer.INSTANCE);

    private final WarehouseLoaderConfig config;
    private final LoaderExecutionOptions execution;
    private final SerializableSupplier<Executor> executors;
    private final transient MailboxExecutor mailbox;

    private transient PendingLoads pending;
    private transient ListState<byte[]> state;
    private transient RetryingLoader loader;
    private transient Executor executor;
    private transient LoadBatch inFlight;
    private transient LoaderMetrics metrics;

    /** For the gauge, read on the reporter's thread; written on the mailbox thread only. */
    private transient volatile int pendingFiles;

    /** When each pending checkpoint's first file arrived (or was restored), epoch millis. */
    private transient Map<Long, Long> arrivals;

    /** For the gauge: the oldest of {@link #arrivals} still pending, or none. */
    private transient volatile long oldestPendingSince;

    private transient long lastStallLogged;

    /**
     * @param executors creates the executor loads run on; a single thread in production
     * @param mailbox the task's mailbox, through which finished loads come back
     */
    WarehouseLoaderOperator(
            WarehouseLoaderConfig config,
            LoaderExecutionOptions execution,
            SerializableSupplier<Executor> executors,
            MailboxExecutor mailbox) {
        this.config = config;
        this.execution = execution;
        this.executors = executors;
        this.mailbox = mailbox;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getListState(PENDING_STATE);
        pending = new PendingLoads();
        arrivals = new HashMap<>();
        oldestPendingSince = LoaderMetrics.NONE_PENDING;
        lastStallLogged = Long.MIN_VALUE;
        PendingLoadsSerializer serializer = new PendingLoadsSerializer();
        for (byte[] bytes : state.get()) {
            pending.merge(
                    SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, bytes));
        }
        long now = System.currentTimeMillis();
        for (PendingCheckpoint checkpoint : pending.checkpoints().values()) {
            if (!checkpoint.remainingFiles().isEmpty()) {
                arrivals.put(checkpoint.checkpointId(), now);
            }
        }
        pendingFiles = pending.pendingFiles();
        oldestPendingSince = oldestArrival();
        if (pendingFiles > 0) {
            LOG.info(
                    "Restored {} committed files of checkpoints {} not confirmed loaded into {}"
                            + " (complete through checkpoint {}); loading them again, the ledger"
                            + " skips what did load",
                    pendingFiles,
                    pending.checkpoints().keySet(),
                    config.target().table(),
                    pending.sealedThrough() == PendingLoads.NONE_SEALED
                            ? "none"
                            : pending.sealedThrough());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        if (parallelism != 1) {
            throw new IllegalStateException(
                    "The warehouse loader must run as one subtask so that loads into "
                            + config.target().table()
                            + " are serialized, but it runs as "
                            + parallelism
                            + "; remove the parallelism override of its vertex (for example"
                            + " pipeline.jobvertex-parallelism-overrides or an autoscaler's)");
        }
        metrics =
                new LoaderMetrics(
                        getMetricGroup(),
                        () -> pendingFiles,
                        () -> oldestPendingSince,
                        Clock.systemUTC());
        loader = new RetryingLoader(new WarehouseLoader(config), execution.retryPolicy());
        executor = executors.get();
        startNextLoad();
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<CommittedFile>> element)
            throws Exception {
        CommittableMessage<CommittedFile> message = element.getValue();
        pending.add(message);
        // Counted, not recounted: a replayed file is counted twice until its load returns.
        if (message instanceof CommittableWithLineage
                && ((CommittableWithLineage<CommittedFile>) message)
                        .getCommittable()
                        .file()
                        .isPresent()) {
            pendingFiles++;
            if (arrivals.putIfAbsent(message.getCheckpointIdOrEOI(), System.currentTimeMillis())
                            == null
                    && oldestPendingSince == LoaderMetrics.NONE_PENDING) {
                oldestPendingSince = arrivals.get(message.getCheckpointIdOrEOI());
            }
        }
        startNextLoad();
    }

    /**
     * Says so when committed files have waited for {@value #STALL_CHECKPOINTS} completed
     * checkpoints with no load running: which checkpoint waits, and for which writer subtasks.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (inFlight != null) {
            return;
        }
        Optional<PendingCheckpoint> waiting = pending.oldestWaiting();
        if (waiting.isEmpty()
                || checkpointId - waiting.get().checkpointId() < STALL_CHECKPOINTS
                || (lastStallLogged != Long.MIN_VALUE
                        && checkpointId - lastStallLogged < STALL_LOG_EVERY)) {
            return;
        }
        lastStallLogged = checkpointId;
        PendingCheckpoint stalled = waiting.get();
        LOG.warn(
                "{} committed files wait for a load into {}: checkpoint {} has {} of them and"
                        + " still waits for {}; checkpoint {} completed since. Later checkpoints"
                        + " load only after it.",
                pendingFiles,
                config.target().table(),
                stalled.checkpointId(),
                stalled.remainingFiles().size(),
                stalled.waitingFor(),
                checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(
                List.of(
                        SimpleVersionedSerialization.writeVersionAndSerialize(
                                new PendingLoadsSerializer(), pending)));
    }

    /** Waits for every pending load, so that a finished job leaves nothing unloaded. */
    @Override
    public void endInput() throws Exception {
        startNextLoad();
        while (inFlight != null) {
            mailbox.yield();
        }
    }

    /** Starts the next load unless one is running or nothing is ready. */
    private void startNextLoad() {
        if (inFlight != null) {
            return;
        }
        LoadBatch batch = pending.nextBatch(execution.mergeLimits());
        if (batch == null) {
            return;
        }
        inFlight = batch;
        if (batch.filesByCheckpoint().size() > 1) {
            LOG.info(
                    "Merging checkpoints {} into one load of {} files into {}",
                    batch.filesByCheckpoint().keySet(),
                    batch.files().size(),
                    config.target().table());
        }
        executor.execute(() -> runLoad(batch));
    }

    /** On the background thread: the load, then its outcome back to the mailbox. */
    private void runLoad(LoadBatch batch) {
        try {
            LoadOutcome outcome = loader.load(batch.metadata(), batch.files());
            mailbox.execute(() -> loadFinished(batch, outcome), "warehouse load finished");
        } catch (Throwable t) {
            try {
                mailbox.execute(
                        () -> {
                            throw new IOException(
                                    "Loading checkpoints "
                                            + batch.filesByCheckpoint().keySet()
                                            + " into "
                                            + config.target().table()
                                            + " failed",
                                    t);
                        },
                        "warehouse load failed");
            } catch (RejectedExecutionException closed) {
                LOG.debug("Load failed after the task closed", t);
            }
        }
    }

    /** On the mailbox thread. */
    private void loadFinished(LoadBatch batch, LoadOutcome outcome) {
        pending.loaded(batch);
        pendingFiles = pending.pendingFiles();
        arrivals.keySet().retainAll(pending.checkpoints().keySet());
        oldestPendingSince = oldestArrival();
        inFlight = null;
        if (outcome.delivered()) {
            metrics.delivered(outcome.result(), batch.metadata());
        } else {
            metrics.gaveUp();
        }
        startNextLoad();
    }

    /** The earliest arrival of a checkpoint that still has files to load, or none. */
    private long oldestArrival() {
        long oldest = LoaderMetrics.NONE_PENDING;
        for (Map.Entry<Long, Long> arrival : arrivals.entrySet()) {
            PendingCheckpoint checkpoint = pending.checkpoints().get(arrival.getKey());
            if (checkpoint != null
                    && !checkpoint.remainingFiles().isEmpty()
                    && (oldest == LoaderMetrics.NONE_PENDING || arrival.getValue() < oldest)) {
                oldest = arrival.getValue();
            }
        }
        return oldest;
    }

    /** Whether a load is running; for tests. */
    boolean isLoading() {
        return inFlight != null;
    }

    LoaderMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws Exception {
        try {
            if (executor instanceof ExecutorService) {
                ExecutorService service = (ExecutorService) executor;
                service.shutdownNow();
                if (!service.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn(
                            "A load into {} is still running after close; the ledger keeps a"
                                    + " restarted loader from loading its files twice",
                            config.target().table());
                }
            }
            if (loader != null) {
                loader.close();
            }
        } finally {
            super.close();
        }
    }
}
