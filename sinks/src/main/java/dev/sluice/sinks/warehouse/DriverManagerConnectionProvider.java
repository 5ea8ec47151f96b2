package dev.sluice.sinks.warehouse;

import org.apache.flink.util.function.SerializableSupplier;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Locale;
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
 * jdbc:redshift:} (including {@code jdbc:redshift:iam:}) uses the Redshift driver.
 *
 * <p>The password never appears in {@link #toString()} or in messages this class writes, and
 * password-like URL parameters are masked there too.
 */
public final class DriverManagerConnectionProvider implements JdbcConnectionProvider {

    private static final long serialVersionUID = 1L;

    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
    static final String REDSHIFT_PREFIX = "jdbc:redshift:";

    /** URL parameters whose values are masked when the URL is shown. */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile(
                    "(?i)([?&;](?:[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|credential)"
                            + "[a-z0-9_.-]*)=)[^&;]*");

    private final String url;
    @Nullable private final String user;
    @Nullable private final SerializableSupplier<String> password;

    /**
     * @param url a {@code jdbc:postgresql:} or {@code jdbc:redshift:} URL
     * @param user the database user, or null when the URL or IAM supplies it
     * @param password called on every {@link #open()}; null when no password is sent (IAM)
     */
    public DriverManagerConnectionProvider(
            String url, @Nullable String user, @Nullable SerializableSupplier<String> password) {
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
        driverKind(url);
    }

    @Override
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            String secret;
            try {
                secret = password.get();
            } catch (RuntimeException e) {
                // A secret store or file that cannot be read right now is a connection problem,
                // retried like one; the suppliers' messages never hold the secret.
                throw new SQLException(
                        "Cannot obtain the warehouse password: " + e.getMessage(), "08001", e);
            }
            if (secret != null) {
                properties.setProperty("password", secret);
            }
        }
        Connection connection = newDriver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("The JDBC driver did not accept the URL " + redact(url));
        }
        return connection;
    }

    private Driver newDriver() throws SQLException {
        switch (driverKind(url)) {
            case POSTGRESQL_PREFIX:
                return new org.postgresql.Driver();
            case REDSHIFT_PREFIX:
                return new com.amazon.redshift.Driver();
            default:
                throw new SQLException("No driver for " + redact(url));
        }
    }

    private static String driverKind(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRESQL_PREFIX)) {
            return POSTGRESQL_PREFIX;
        }
        if (lower.startsWith(REDSHIFT_PREFIX)) {
            return REDSHIFT_PREFIX;
        }
        throw new IllegalArgumentException(
                "The JDBC URL "
                        + SqlIdentifiers.describe(redact(url))
                        + " must start with "
                        + POSTGRESQL_PREFIX
                        + " or "
                        + REDSHIFT_PREFIX);
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
                + '}';
    }
}
