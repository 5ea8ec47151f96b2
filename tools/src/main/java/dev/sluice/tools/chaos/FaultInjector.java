package dev.sluice.tools.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends one process of the {@link ChaosStack} and starts it again, returning once it serves again.
 * The job is not told: it must notice and recover by itself.
 */
final class FaultInjector {

    /** How long to watch {@code pg_stat_activity} for a COPY before killing anyway. */
    static final Duration COPY_WATCH_TIMEOUT = Duration.ofSeconds(60);

    /**
     * A running COPY, and the run's rows in the same snapshot: the COPY's own rows are not yet
     * visible, so the count is what the table held when the kill landed.
     */
    private static final String ACTIVE_COPY =
            "SELECT pid, extract(epoch FROM clock_timestamp() - query_start) * 1000, left(query, 80),"
                    + " (SELECT count(*) FROM %s)"
                    + " FROM pg_stat_activity WHERE state = 'active' AND query ILIKE 'COPY %%'"
                    + " AND pid <> pg_backend_pid()";

    private final ChaosStack stack;
    private final String table;

    /**
     * @param table the run's target table, counted just before each signal so that growth after the
     *     fault is measured from what the table held when it landed
     */
    FaultInjector(ChaosStack stack, String table) {
        this.stack = stack;
        this.table = table;
    }

    InjectedFault inject(Fault fault, EventFeed feed) throws Exception {
        return switch (fault) {
            case TASK_MANAGER -> killTaskManager(fault, rows(), "");
            case TASK_MANAGER_DURING_COPY -> {
                CopySeen copy = awaitCopy();
                yield killTaskManager(fault, copy.rows(), copy.detail());
            }
            case S3PROXY -> {
                long pid = stack.s3.process().pid();
                long rows = rows();
                long at = System.nanoTime();
                stack.s3.kill();
                stack.s3.restart();
                yield new InjectedFault(fault, at, millisSince(at), pid, rows, "");
            }
            case POSTGRES -> {
                long rows = rows();
                long at = System.nanoTime();
                stack.postgres.stop();
                stack.postgres.restart();
                yield new InjectedFault(
                        fault, at, millisSince(at), -1, rows, "pg_ctl stop -m fast");
            }
            case KINESIS -> {
                // The producer waits meanwhile: a PutRecords lost in the outage would be retried,
                // and a retried put can store an event twice before the job ever sees it.
                feed.pause();
                try {
                    long pid = stack.kinesis.process().pid();
                    long rows = rows();
                    long at = System.nanoTime();
                    stack.kinesis.kill();
                    stack.kinesis.restart();
                    yield new InjectedFault(
                            fault, at, millisSince(at), pid, rows, "producer paused");
                } finally {
                    feed.resume();
                }
            }
        };
    }

    private InjectedFault killTaskManager(Fault fault, long rows, String detail) {
        long pid = stack.cluster.taskManager().pid();
        long at = System.nanoTime();
        stack.cluster.killTaskManager();
        stack.cluster.startTaskManager();
        return new InjectedFault(fault, at, millisSince(at), pid, rows, detail);
    }

    private long rows() throws SQLException {
        return stack.postgres.queryLong("SELECT count(*) FROM " + table);
    }

    /** A COPY seen running, and the table's rows in the same snapshot. */
    private record CopySeen(long rows, String detail) {}

    /**
     * Polls {@code pg_stat_activity} until a COPY runs, and returns as soon as one does, so that
     * the caller's SIGKILL lands inside it; describes what was seen.
     */
    private CopySeen awaitCopy() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + COPY_WATCH_TIMEOUT.toNanos();
        try (Connection connection = stack.postgres.connect();
                PreparedStatement query =
                        connection.prepareStatement(String.format(ACTIVE_COPY, table))) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return new CopySeen(
                                rows.getLong(4),
                                String.format(
                                        "COPY running for %.0f ms in backend %d at the kill: %s",
                                        rows.getDouble(2), rows.getLong(1), rows.getString(3)));
                    }
                }
                Thread.sleep(1);
            }
        }
        return new CopySeen(
                rows(),
                "no COPY seen within " + COPY_WATCH_TIMEOUT.toSeconds() + " s; killed anyway");
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
