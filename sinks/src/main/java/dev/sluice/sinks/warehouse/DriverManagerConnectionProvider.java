package dev.sluice.sinks.warehouse;

import org.apache.flink.util.function.SerializableSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connects with a JDBC URL, a user and a password that is fetched afresh for every connection (so a
 * rotated secret is picked up without a restart).
 *
 * <p>The driver is chosen by the URL's prefix, not by {@link java.sql.DriverManager}'s first match:
 * both drivers are on the class path, and the Redshift driver cannot talk to plain PostgreSQL (it
 * sends Redshift-only startup parameters). {@code jdbc:postgresql:} uses pgjdbc; {@code
 * jdbc:redshift:} (including {@code jdbc:redshift:iam:}) uses the Redshift driver. TLS and IAM
 * authentication are decided by {@link ConnectionSecurity} when the provider is built.
 *
 * <p>The password never appears in {@link #toString()} or in messages this class writes, and
 * password-like URL parameters are masked there too.
 */
public final class DriverManagerConnectionProvider implements JdbcConnectionProvider {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG =
            LoggerFactory.getLogger(DriverManagerConnectionProvider.class);

    /** URL parameters whose values are masked when the URL is shown. */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile(
                    "(?i)([?&;](?:[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|credential)"
                            + "[a-z0-9_.-]*)=)[^&;]*");

    private final String url;
    @Nullable private final String user;
    @Nullable private final SerializableSupplier<String> password;
    private final ConnectionSecurity security;

    /** The default per-statement limit of a loader session: 30 minutes. */
    public static final long DEFAULT_STATEMENT_TIMEOUT_S = 1800;

    /** The largest configurable limit: one day. */
    public static final long MAX_STATEMENT_TIMEOUT_S = 86_400;

    /** {@code statement_timeout} of every session, in milliseconds; 0 = the server's default. */
    private final long statementTimeoutMillis;

    /**
     * With TLS to Redshift on, as by default.
     *
     * @param url a {@code jdbc:postgresql:}, {@code jdbc:redshift:} or {@code jdbc:redshift:iam:}
     *     URL
     * @param user the database user, or null when the URL or IAM supplies it
     * @param password called on every {@link #open()}; null when no password is sent (IAM)
     */
    public DriverManagerConnectionProvider(
            String url, @Nullable String user, @Nullable SerializableSupplier<String> password) {
        this(url, user, password, false);
    }

    /**
     * @param tlsDisabled connect to Redshift without TLS ({@code Warehouse} {@code
     *     tls.disable=true})
     * @throws IllegalArgumentException if {@link ConnectionSecurity} refuses the combination
     */
    public DriverManagerConnectionProvider(
            String url,
            @Nullable String user,
            @Nullable SerializableSupplier<String> password,
            boolean tlsDisabled) {
        this(url, user, password, tlsDisabled, DEFAULT_STATEMENT_TIMEOUT_S);
    }

    /**
     * @param statementTimeoutSeconds the limit of every statement of a session, 0 for the server's
     *     own ({@code Warehouse} {@code statement.timeout.s}), at most {@link
     *     #MAX_STATEMENT_TIMEOUT_S}
     */
    public DriverManagerConnectionProvider(
            String url,
            @Nullable String user,
            @Nullable SerializableSupplier<String> password,
            boolean tlsDisabled,
            long statementTimeoutSeconds) {
        if (statementTimeoutSeconds < 0 || statementTimeoutSeconds > MAX_STATEMENT_TIMEOUT_S) {
            throw new IllegalArgumentException(
                    "The statement timeout must be between 0 and "
                            + MAX_STATEMENT_TIMEOUT_S
                            + " seconds, got "
                            + statementTimeoutSeconds);
        }
        this.statementTimeoutMillis = statementTimeoutSeconds * 1000;
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
        this.security = ConnectionSecurity.of(url, tlsDisabled, password != null);
        this.security.requireDbUser(url, user);
        if (tlsDisabled) {
            LOG.warn(
                    "TLS to the warehouse is OFF (tls.disable=true) for {}: credentials and rows"
                            + " travel in clear text",
                    redact(url));
        }
    }

    public ConnectionSecurity security() {
        return security;
    }

    @Override
    public Connection open() throws SQLException {
        String secret = null;
        if (password != null) {
            try {
                secret = password.get();
            } catch (RuntimeException e) {
                // A secret store or file that cannot be read right now is a connection problem,
                // retried like one; the suppliers' messages never hold the secret.
                throw new SQLException(
                        "Cannot obtain the warehouse password: " + e.getMessage(), "08001", e);
            }
        }
        Connection connection = newDriver().connect(url, connectionProperties(secret));
        if (connection == null) {
            throw new SQLException("The JDBC driver did not accept the URL " + redact(url));
        }
        if (statementTimeoutMillis > 0) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(statementTimeoutStatement(statementTimeoutMillis));
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
        return connection;
    }

    /**
     * The session setting that bounds every statement, so that a load waiting on a stuck lock
     * holder, or a COPY that hangs, fails (SQLState 57014, retried as transient) instead of hanging
     * the loader. Both warehouses take it in milliseconds: PostgreSQL's {@code statement_timeout},
     * and Redshift's (Developer Guide, "statement_timeout": "Stops any statement that takes over
     * the specified number of milliseconds"; a WLM timeout, if lower, still applies). Sent once per
     * session, in auto-commit, right after connecting.
     */
    static String statementTimeoutStatement(long millis) {
        return "SET statement_timeout TO " + millis;
    }

    /** What the driver is given besides the URL; pure so that tests can pin it. */
    Properties connectionProperties(@Nullable String secret) {
        return security.properties(user, secret);
    }

    private Driver newDriver() {
        if (security.kind() == ConnectionSecurity.Kind.POSTGRESQL) {
            return new org.postgresql.Driver();
        }
        return new com.amazon.redshift.Driver();
    }

    /** The URL with password-like parameter values replaced by {@code ***}. */
    static String redact(String url) {
        Matcher matcher = SECRET_PARAMETER.matcher(url);
        return matcher.replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "DriverManagerConnectionProvider{url="
                + redact(url)
                + ", user="
                + user
                + ", password="
                + (password == null ? "none" : "***")
                + ", statementTimeoutMs="
                + statementTimeoutMillis
                + ", "
                + security
                + '}';
    }
}
