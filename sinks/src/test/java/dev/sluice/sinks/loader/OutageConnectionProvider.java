package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.JdbcConnectionProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A warehouse that is down: while {@link #down()} is set, or for the first {@code failures} opens,
 * connecting fails as a refused connection does (SQLState {@code 08001}).
 */
final class OutageConnectionProvider implements JdbcConnectionProvider {

    private static final long serialVersionUID = 1L;

    private final JdbcConnectionProvider delegate;
    private final AtomicInteger failuresLeft;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();

    OutageConnectionProvider(JdbcConnectionProvider delegate, int failures) {
        this.delegate = delegate;
        this.failuresLeft = new AtomicInteger(failures);
    }

    AtomicBoolean down() {
        return down;
    }

    int refused() {
        return refused.get();
    }

    @Override
    public Connection open() throws SQLException {
        if (down.get() || failuresLeft.getAndDecrement() > 0) {
            refused.incrementAndGet();
            throw new SQLException("Connection to 127.0.0.1:1 refused (injected)", "08001");
        }
        return delegate.open();
    }
}
