package dev.sluice.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * A throw-away PostgreSQL server on 127.0.0.1, standing in for Redshift in the loader's tests and
 * in the local run.
 *
 * <p>Wraps zonky's {@link EmbeddedPostgres}, which unpacks PostgreSQL 14 binaries from a Maven
 * artifact, so neither Docker nor a system package is needed; as root it drops privileges through
 * {@code unshare -U}. zonky's own JDBC URLs say {@code localhost} and its server listens on every
 * address; here {@code listen_addresses} is pinned to 127.0.0.1 and the URL uses that address, so
 * nothing is reachable from outside the machine and no IPv6/IPv4 resolution question arises.
 *
 * <p>The cluster is initialised with {@code trust} authentication: {@link #password()} is sent but
 * not checked. It exists so that code paths taking user and password (as they do for Redshift) are
 * exercised unchanged.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres.Builder builder;
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(
            EmbeddedPostgres.Builder builder,
            Path dataDirectory,
            EmbeddedPostgres postgres,
            int port) {
        this.builder = builder;
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
        this.port = port;
    }

    /** Initialises a fresh cluster in a temporary directory and starts it on a free port. */
    public static PostgresServer start() {
        long startedAt = System.nanoTime();
        int port = FreePorts.allocate();
        // Our own data directory, kept across stop() and restart() so an outage loses nothing.
        Path dataDirectory = TempDirectories.create("sluice-postgres-");
        try {
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(dataDirectory)
                            .setCleanDataDirectory(false)
                            .setPort(port)
                            .setServerConfig("listen_addresses", FreePorts.LOOPBACK)
                            // Tests are throw-away: durability only costs time.
                            .setServerConfig("fsync", "off")
                            .setServerConfig("synchronous_commit", "off")
                            .setServerConfig("full_page_writes", "off")
                            .setServerConfig("max_connections", "100")
                            .setPGStartupWait(Duration.ofSeconds(60));
            EmbeddedPostgres postgres = builder.start();
            LOG.info(
                    "PostgreSQL started on {}:{} in {} ms",
                    FreePorts.LOOPBACK,
                    port,
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
            return new PostgresServer(builder, dataDirectory, postgres, port);
        } catch (IOException e) {
            TempDirectories.deleteQuietly(dataDirectory);
            throw new UncheckedIOException("Cannot start embedded PostgreSQL on port " + port, e);
        }
    }

    /**
     * Stops the server as an outage would (clients get "connection refused"), keeping its data
     * directory and port for {@link #restart()}. Does nothing if it is already stopped.
     */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
            postgres = null;
            LOG.info("PostgreSQL on port {} stopped (data kept for a restart)", port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop embedded PostgreSQL on port " + port, e);
        }
    }

    /** Starts a {@link #stop() stopped} server again on the same port with the same data. */
    public synchronized void restart() {
        if (postgres != null) {
            return;
        }
        long startedAt = System.nanoTime();
        try {
            postgres = builder.start();
            LOG.info(
                    "PostgreSQL restarted on port {} in {} ms",
                    port,
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restart embedded PostgreSQL on port " + port, e);
        }
    }

    public synchronized boolean running() {
        return postgres != null;
    }

    /** A pgjdbc URL of the {@code postgres} database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + FreePorts.LOOPBACK + ":" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** Sent but not verified: the cluster uses {@code trust} authentication. */
    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** Opens a new connection (auto-commit on); the caller closes it. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /** Runs one statement on a fresh connection, for set-up and checks. */
    public void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** All rows of a query, each as its columns' text, for checks. */
    public List<List<String>> query(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    /** The first column of the first row as a number (0 for NULL), e.g. of a count. */
    public long queryLong(String sql) throws SQLException {
        List<List<String>> rows = query(sql);
        if (rows.isEmpty()) {
            throw new SQLException("No row from: " + sql);
        }
        String value = rows.get(0).get(0);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of every row, e.g. the ids a table holds. */
    public Set<String> querySet(String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        for (List<String> row : query(sql)) {
            values.add(row.get(0));
        }
        return values;
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            TempDirectories.deleteQuietly(dataDirectory);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer{" + jdbcUrl() + "}";
    }
}
