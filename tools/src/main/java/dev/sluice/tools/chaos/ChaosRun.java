package dev.sluice.tools.chaos;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.job.local.ErrorRecords;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.FlinkRestClient;
import dev.sluice.localstack.StackPropertyGroups;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One chaos run: a fresh stream, table and prefix; the job submitted to the cluster; events
 * produced at a steady rate; one {@link Fault} at a seeded moment; then waiting until every event
 * is accounted and checking the table by event id.
 *
 * <h2>When the fault lands</h2>
 *
 * The moment is a share of the run's events already loaded, drawn from [10 %, 60 %) by the run's
 * {@link Random}: on a busy machine a moment in seconds could fall before the first load or after
 * the last, a share of the rows always falls mid-delivery. The last 30 % of the events are held
 * back until then and released just before the fault: a job that has caught up (one load can hold
 * every event put so far) still meets work during and after the fault, so the table must grow
 * again. For {@link Fault#TASK_MANAGER_DURING_COPY} the kill then waits for the next COPY.
 *
 * <h2>When a run is over</h2>
 *
 * When rows (distinct ids) plus error records reach the events produced, and the row count then
 * stays unchanged for two checkpoint intervals plus a second, so a duplicate load would show; or
 * when the timeout passes, and whatever is missing counts as lost.
 */
final class ChaosRun {

    static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(120);
    static final double EARLIEST_FAULT_SHARE = 0.1;
    static final double FAULT_SHARE_RANGE = 0.5;

    /** The share of events held back until the fault (see {@link EventFeed#release()}). */
    static final double HELD_BACK_SHARE = 0.3;

    private final ChaosStack stack;
    private final ChaosOptions options;
    private final Path workDir;
    private final Consumer<String> say;

    ChaosRun(ChaosStack stack, ChaosOptions options, Path workDir, Consumer<String> say) {
        this.stack = stack;
        this.options = options;
        this.workDir = workDir;
        this.say = say;
    }

    RunResult execute(int run, Fault fault, Random random) throws Exception {
        long startedAt = System.nanoTime();
        String schema = "chaos_r" + run;
        String table = schema + ".user_events";
        String stream = "chaos-" + run;
        String prefix = "run-" + run + "/";
        stack.streams.createStream(stream, options.shards());
        stack.postgres.execute("CREATE SCHEMA " + schema);
        stack.postgres.execute(DemoEvents.createTableSql(table));
        Path config = writeConfig(run, stream, prefix, table, schema);

        double share = EARLIEST_FAULT_SHARE + random.nextDouble() * FAULT_SHARE_RANGE;
        long faultAtRows = Math.max(1, Math.round(share * options.records()));
        FlinkRestClient rest = stack.rest();
        String jobId =
                rest.runJar(
                        stack.jarId,
                        List.of("--config", config.toString()),
                        options.parallelism(),
                        null);
        rest.awaitAllTasksRunning(jobId, JOB_START_TIMEOUT);
        say.accept(
                String.format(
                        "run %d: job %s running; %s at %d of %d rows",
                        run, jobId, fault.label(), faultAtRows, options.records()));

        long deadline = System.nanoTime() + Duration.ofSeconds(options.timeoutSeconds()).toNanos();
        try (EventFeed feed =
                new EventFeed(
                        stack.streams.producer(),
                        stream,
                        options.records(),
                        random.nextLong(),
                        options.rate(),
                        (int) Math.round((1 - HELD_BACK_SHARE) * options.records()))) {
            feed.start();
            awaitRows(table, faultAtRows, deadline, jobId);

            long restartsBefore = rest.numRestarts(jobId);
            feed.release();
            InjectedFault injected = new FaultInjector(stack, table).inject(fault, feed);
            say.accept(
                    String.format(
                            "run %d: %s (pid %d) at %d rows, back after %d ms at %d rows%s",
                            run,
                            fault.label(),
                            injected.killedPid(),
                            injected.rowsAtFault(),
                            injected.downMillis(),
                            rows(table),
                            injected.detail().isEmpty() ? "" : "; " + injected.detail()));
            if (fault.killsTaskManager()) {
                FlinkRestClient.await(
                        "job " + jobId + " to restart after losing its TaskManager",
                        () -> rest.get("/jobs/" + jobId + "/metrics?get=numRestarts"),
                        m ->
                                m.findValuesAsText("value").stream()
                                        .anyMatch(v -> Long.parseLong(v) > restartsBefore),
                        JOB_START_TIMEOUT);
                rest.awaitAllTasksRunning(jobId, JOB_START_TIMEOUT);
            }
            long recovered = awaitGrowth(table, injected.rowsAtFault(), deadline, injected);

            feed.await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L));
            Set<String> produced = feed.ids();
            String prefixForErrors = prefix;
            awaitAccounted(table, produced.size(), prefixForErrors, deadline, jobId);

            long rows = rows(table);
            Set<String> loaded = stack.postgres.querySet("SELECT event_id FROM " + table);
            long errors = ErrorRecords.count(stack.s3, ChaosStack.BUCKET, prefix);
            long lost = produced.stream().filter(id -> !loaded.contains(id)).count() - errors;
            long unexpected = loaded.stream().filter(id -> !produced.contains(id)).count();
            long restarts = rest.numRestarts(jobId);
            List<String> causes = restartCauses(jobId);
            rest.cancel(jobId, JOB_START_TIMEOUT);
            return new RunResult(
                    run,
                    fault,
                    jobId,
                    produced.size(),
                    rows,
                    loaded.size(),
                    errors,
                    Math.max(0, lost),
                    rows - loaded.size(),
                    unexpected,
                    injected.rowsAtFault(),
                    injected.killedPid(),
                    injected.downMillis(),
                    recovered,
                    restarts,
                    causes,
                    injected.detail(),
                    FaultInjector.millisSince(startedAt));
        }
    }

    private Path writeConfig(int run, String stream, String prefix, String table, String schema)
            throws Exception {
        Map<String, Properties> groups =
                StackPropertyGroups.builder(stack.kinesis, stack.s3, stack.postgres).stream(stream)
                        .bucket(ChaosStack.BUCKET)
                        .prefix(prefix)
                        .table(table)
                        .bufferingIntervalSeconds(
                                CheckpointInterval.secondsOf(options.checkpointIntervalMs()))
                        .build();
        // S3 is the cluster's business, as on a real cluster: its config.yaml has the endpoint.
        Properties staging = groups.get(StagingOptions.GROUP);
        stack.s3.flinkS3Configuration().keySet().forEach(staging::remove);
        groups.get(WarehouseOptions.GROUP)
                .setProperty(WarehouseOptions.LEDGER_SCHEMA.key(), schema);
        Path file = workDir.resolve("run-" + run + ".json").toAbsolutePath();
        dev.sluice.job.config.ApplicationProperties.write(groups, file);
        return file;
    }

    /** Waits until the table has {@code atLeast} rows; fails if the job ends or time runs out. */
    private void awaitRows(String table, long atLeast, long deadline, String jobId)
            throws Exception {
        while (rows(table) < atLeast) {
            checkRunning(jobId, deadline, "waiting for " + atLeast + " rows");
            Thread.sleep(100);
        }
    }

    /** Milliseconds from the fault until the table grew beyond {@code rows}; -1 if it did not. */
    private long awaitGrowth(String table, long rows, long deadline, InjectedFault injected)
            throws Exception {
        while (System.nanoTime() < deadline) {
            if (rows(table) > rows) {
                return FaultInjector.millisSince(injected.startedAtNanos());
            }
            Thread.sleep(100);
        }
        return -1;
    }

    private void awaitAccounted(
            String table, long produced, String prefix, long deadline, String jobId)
            throws Exception {
        long settle = 2 * options.checkpointIntervalMs() + 1_000;
        long lastRows = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long rows = rows(table);
            if (rows != lastRows) {
                lastRows = rows;
                stableSince = System.nanoTime();
            }
            long distinct =
                    stack.postgres.queryLong("SELECT count(DISTINCT event_id) FROM " + table);
            boolean accounted =
                    distinct + ErrorRecords.count(stack.s3, ChaosStack.BUCKET, prefix) >= produced;
            if (accounted && FaultInjector.millisSince(stableSince) >= settle) {
                return;
            }
            checkRunning(jobId, deadline, "waiting for " + produced + " events to be accounted");
            Thread.sleep(500);
        }
        say.accept("gave up waiting: " + rows(table) + " rows for " + produced + " events");
    }

    private void checkRunning(String jobId, long deadline, String what) {
        String state = stack.rest().job(jobId).path("state").asText();
        if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
            throw new IllegalStateException("job " + jobId + " is " + state + " while " + what);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                    "timed out after " + options.timeoutSeconds() + " s " + what);
        }
    }

    /** Each failure in the job's exception history: its exception and task, newest first. */
    private List<String> restartCauses(String jobId) {
        List<String> causes = new ArrayList<>();
        JsonNode entries = stack.rest().exceptions(jobId).path("exceptionHistory").path("entries");
        for (JsonNode entry : entries) {
            String trace = entry.path("stacktrace").asText("");
            String first = trace.lines().findFirst().orElse(entry.path("exceptionName").asText());
            if (first.length() > 200) {
                first = first.substring(0, 200) + "…";
            }
            String task = entry.path("taskName").asText("");
            causes.add(task.isEmpty() ? first : first + " (in " + task + ")");
        }
        return causes;
    }

    private long rows(String table) throws Exception {
        return stack.postgres.queryLong("SELECT count(*) FROM " + table);
    }
}
