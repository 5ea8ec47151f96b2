package dev.sluice.localstack;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Starts one {@link PostgresServer} per test class and stops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension POSTGRES = new PostgresExtension();
 * ...
 * try (Connection connection = POSTGRES.connect()) { ... }
 * }</pre>
 *
 * <p>One server per class, not per test, because starting PostgreSQL costs seconds; tests that need
 * isolation use their own schema or table names.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server; only valid between {@code beforeAll} and {@code afterAll}. */
    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException(
                    "PostgreSQL is not running: register the extension as a static field"
                            + " with @RegisterExtension");
        }
        return server;
    }

    public String jdbcUrl() {
        return server().jdbcUrl();
    }

    public String user() {
        return server().user();
    }

    public String password() {
        return server().password();
    }

    public int port() {
        return server().port();
    }

    public Connection connect() throws SQLException {
        return server().connect();
    }

    public void execute(String sql) throws SQLException {
        server().execute(sql);
    }

    public List<List<String>> query(String sql) throws SQLException {
        return server().query(sql);
    }

    public long queryLong(String sql) throws SQLException {
        return server().queryLong(sql);
    }

    public Set<String> querySet(String sql) throws SQLException {
        return server().querySet(sql);
    }

    /** Simulates an outage: see {@link PostgresServer#stop()}. */
    public void stop() {
        server().stop();
    }

    /** Ends an outage: see {@link PostgresServer#restart()}. */
    public void restart() {
        server().restart();
    }
}
