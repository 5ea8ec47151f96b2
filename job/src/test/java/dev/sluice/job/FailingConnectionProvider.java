package dev.sluice.job;

import dev.sluice.sinks.warehouse.JdbcConnectionProvider;
import dev.sluice.sinks.warehouse.LoadLedger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the loader's real connections and fails one load, once, at a chosen moment, so a test can
 * check that the job recovers without losing or duplicating rows.
 *
 * <p>State lives in static maps keyed by scenario: the provider is serialized into the job graph,
 * and the MiniCluster runs the job in this JVM, so every deserialized copy sees the same flags.
 */
final class FailingConnectionProvider implements JdbcConnectionProvider {

    private static final long serialVersionUID = 1L;

    /**
     * Where the one injected failure happens, and whether it stays inside the loader's retry (an
     * {@link SQLException} without SQLState, which {@code RetryingLoader} calls transient and
     * retries on the load thread, so the task never fails) or escapes it (an {@link
     * IllegalStateException}, which {@code RetryingLoader} rethrows and the loader operator turns
     * into a task failure through the mailbox, so Flink restores the job from a checkpoint).
     */
    enum FailurePoint {
        /** The files are committed in S3, but the loader cannot even connect; retried. */
        AFTER_S3_COMMIT_BEFORE_LOAD(false),
        /** COPY ran and the ledger row was written, but the commit fails; retried. */
        DURING_LOAD_BEFORE_DB_COMMIT(false),
        /** The load committed in the database, but its acknowledgement is lost; retried. */
        AFTER_DB_COMMIT(false),
        /**
         * The load committed in the database, then the load thread throws an exception no retry
         * catches: the task fails before the loader learns the load happened, and the restored
         * loader is handed files the ledger already holds.
         */
        AFTER_DB_COMMIT_FAILING_THE_TASK(true);

        private final boolean escapesRetry;

        FailurePoint(boolean escapesRetry) {
            this.escapesRetry = escapesRetry;
        }

        /** Whether the failure fails the task (and Flink restores) instead of being retried. */
        boolean escapesRetry() {
            return escapesRetry;
        }
    }

    private static final Map<String, AtomicInteger> LOAD_ATTEMPTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicBoolean> FIRED = new ConcurrentHashMap<>();

    private final JdbcConnectionProvider delegate;
    private final FailurePoint point;
    private final String scenario;
    private final int failOnLoad;

    /**
     * @param failOnLoad which load (1-based, counted by ledger inserts or connection attempts) to
     *     fail; a value above 1 makes the failure hit a running job, not its first load
     */
    FailingConnectionProvider(
            JdbcConnectionProvider delegate, FailurePoint point, String scenario, int failOnLoad) {
        this.delegate = delegate;
        this.point = point;
        this.scenario = scenario;
        this.failOnLoad = failOnLoad;
        LOAD_ATTEMPTS.put(scenario, new AtomicInteger());
        FIRED.put(scenario, new AtomicBoolean());
    }

    static boolean fired(String scenario) {
        return FIRED.get(scenario).get();
    }

    @Override
    public Connection open() throws SQLException {
        if (point == FailurePoint.AFTER_S3_COMMIT_BEFORE_LOAD
                && LOAD_ATTEMPTS.get(scenario).incrementAndGet() >= failOnLoad
                && FIRED.get(scenario).compareAndSet(false, true)) {
            throw new SQLException("injected failure: cannot connect before the load");
        }
        Connection real = delegate.open();
        if (point == FailurePoint.AFTER_S3_COMMIT_BEFORE_LOAD) {
            return real;
        }
        return watchCommits(real);
    }

    /** A connection that fails its commit once, after a ledger row was inserted through it. */
    private Connection watchCommits(Connection real) {
        AtomicBoolean ledgerInsertPending = new AtomicBoolean();
        return (Connection)
                Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            String name = method.getName();
                            if ((name.equals("prepareStatement") || name.equals("prepareCall"))
                                    && args != null
                                    && args[0] instanceof String
                                    && isLedgerInsert((String) args[0])) {
                                ledgerInsertPending.set(true);
                            }
                            if (name.equals("rollback")) {
                                ledgerInsertPending.set(false);
                            }
                            if (name.equals("commit") && ledgerInsertPending.getAndSet(false)) {
                                boolean fire =
                                        LOAD_ATTEMPTS.get(scenario).incrementAndGet() >= failOnLoad
                                                && FIRED.get(scenario).compareAndSet(false, true);
                                if (fire && point == FailurePoint.DURING_LOAD_BEFORE_DB_COMMIT) {
                                    real.rollback();
                                    throw new SQLException("injected failure: commit of a load");
                                }
                                real.commit();
                                if (fire && point.escapesRetry()) {
                                    throw new IllegalStateException(
                                            "injected failure: the task fails after a load"
                                                    + " committed");
                                }
                                if (fire) {
                                    throw new SQLException(
                                            "injected failure: after a load committed");
                                }
                                return null;
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }

    private static boolean isLedgerInsert(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        return s.startsWith("insert into") && s.contains(LoadLedger.LEDGER_TABLE);
    }

    @Override
    public String toString() {
        return "FailingConnectionProvider{" + point + ", delegate=" + delegate + '}';
    }
}
