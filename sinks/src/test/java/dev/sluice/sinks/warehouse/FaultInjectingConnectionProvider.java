package dev.sluice.sinks.warehouse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a real provider and makes its connections fail once at a chosen point of the load's
 * transaction, the way a network or warehouse failure would; or runs a hook just before the ledger
 * lock, to line up racing loaders. Production code knows nothing of it.
 */
final class FaultInjectingConnectionProvider implements JdbcConnectionProvider {

    private static final long serialVersionUID = 1L;

    /** Where the single failure happens. */
    enum Fault {
        /** Opening the connection fails. */
        ON_OPEN,
        /** Inserting the ledger row fails, after the COPY. */
        ON_LEDGER_INSERT,
        /** The final commit fails and nothing is committed. */
        BEFORE_COMMIT,
        /** The final commit succeeds, then the call fails as if the connection dropped. */
        AFTER_COMMIT,
        /** No failure; only the lock hook runs. */
        NONE
    }

    private final JdbcConnectionProvider delegate;
    private final Fault fault;
    private final transient Runnable beforeLock;
    private final AtomicBoolean fired = new AtomicBoolean();

    FaultInjectingConnectionProvider(JdbcConnectionProvider delegate, Fault fault) {
        this(delegate, fault, () -> {});
    }

    FaultInjectingConnectionProvider(
            JdbcConnectionProvider delegate, Fault fault, Runnable beforeLock) {
        this.delegate = delegate;
        this.fault = fault;
        this.beforeLock = beforeLock;
    }

    boolean fired() {
        return fired.get();
    }

    @Override
    public Connection open() throws SQLException {
        if (fault == Fault.ON_OPEN && fired.compareAndSet(false, true)) {
            throw new SQLException("Injected: cannot connect");
        }
        Connection real = delegate.open();
        return (Connection)
                Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        new ConnectionHandler(real));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection real;

        /** Set once this transaction has written the ledger, i.e. the next commit is the load's. */
        private boolean ledgerWritten;

        ConnectionHandler(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("prepareStatement")
                    && args != null
                    && args[0] instanceof String
                    && ((String) args[0]).startsWith("INSERT INTO")
                    && ((String) args[0]).contains(LoadLedger.LEDGER_TABLE)) {
                ledgerWritten = true;
                if (fault == Fault.ON_LEDGER_INSERT && fired.compareAndSet(false, true)) {
                    throw new SQLException("Injected: ledger insert failed");
                }
            }
            if (name.equals("commit") && ledgerWritten) {
                ledgerWritten = false;
                if (fault == Fault.BEFORE_COMMIT && fired.compareAndSet(false, true)) {
                    throw new SQLException("Injected: commit failed");
                }
                if (fault == Fault.AFTER_COMMIT && fired.compareAndSet(false, true)) {
                    real.commit();
                    throw new SQLException("Injected: connection lost after commit");
                }
            }
            if (name.equals("rollback")) {
                ledgerWritten = false;
            }
            Object result = call(real, method, args);
            if (name.equals("createStatement") && result instanceof Statement) {
                return lockHooked((Statement) result);
            }
            return result;
        }
    }

    private Statement lockHooked(Statement real) {
        return (Statement)
                Proxy.newProxyInstance(
                        Statement.class.getClassLoader(),
                        new Class<?>[] {Statement.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("execute")
                                    && args != null
                                    && args[0] instanceof String
                                    && ((String) args[0]).startsWith("LOCK")) {
                                beforeLock.run();
                            }
                            return call(real, method, args);
                        });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
