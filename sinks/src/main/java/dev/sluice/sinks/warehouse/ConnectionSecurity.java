package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * How Sluice secures and authenticates a warehouse connection, decided from the JDBC URL when the
 * job is built so that an insecure or impossible setting fails at start-up, not at the first load.
 *
 * <ul>
 *   <li><b>TLS to Redshift is on unless explicitly turned off.</b> For {@code jdbc:redshift:} URLs
 *       the driver gets {@code ssl=true} and, unless the URL chooses one, {@code sslmode=verify-ca}
 *       (the certificate chain is checked against the Redshift CA bundled with the driver). A URL
 *       that turns TLS off ({@code ssl=false}, {@code sslmode=disable}, {@code allow} or {@code
 *       prefer}) is refused unless {@code tlsDisabled} (the {@code Warehouse} key {@code
 *       tls.disable=true}) says so; then the driver gets {@code ssl=false}. Refusing rather than
 *       silently upgrading means the configuration never says one thing while the connection does
 *       another.
 *   <li><b>{@code jdbc:redshift:iam:} URLs authenticate with IAM</b>: the driver fetches temporary
 *       database credentials with the task manager's AWS credentials ({@code
 *       GetClusterCredentials}), so a password is refused, and the user, optional, is sent as
 *       {@code DbUser}. The AWS SDK modules the driver needs for that must be on the class path;
 *       this is checked here.
 *   <li>{@code jdbc:postgresql:} URLs are passed on as they are (set {@code sslmode} in the URL);
 *       {@code tlsDisabled} is refused for them because it would do nothing.
 * </ul>
 *
 * <p>Messages name URLs only through {@link DriverManagerConnectionProvider#redact}, never with a
 * password.
 */
final class ConnectionSecurity implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
    static final String REDSHIFT_PREFIX = "jdbc:redshift:";
    static final String REDSHIFT_IAM_PREFIX = "jdbc:redshift:iam:";

    static final String REDSHIFT_DRIVER = "com.amazon.redshift.Driver";
    static final String POSTGRESQL_DRIVER = "org.postgresql.Driver";

    /** Classes the Redshift driver's IAM authentication loads, with the artifacts holding them. */
    static final Map<String, String> IAM_CLASSES =
            Map.of(
                    "com.amazonaws.services.redshift.AmazonRedshift",
                    "com.amazonaws:aws-java-sdk-redshift",
                    "com.amazonaws.services.securitytoken.AWSSecurityTokenService",
                    "com.amazonaws:aws-java-sdk-sts",
                    // What the driver's ServerlessIamHelper (2.1.0.33) calls for Serverless hosts.
                    "com.amazonaws.services.redshiftserverless.AWSRedshiftServerlessClient",
                    "com.amazonaws:aws-java-sdk-redshiftserverless");

    /** The sslmode Sluice asks for when the URL does not choose one. */
    static final String DEFAULT_SSL_MODE = "verify-ca";

    private static final Set<String> INSECURE_SSL_MODES = Set.of("disable", "allow", "prefer");

    /** Which driver and authentication a URL means. */
    public enum Kind {
        POSTGRESQL,
        REDSHIFT,
        REDSHIFT_IAM
    }

    private final Kind kind;
    private final boolean tlsDisabled;
    private final Map<String, String> urlParameters;

    private ConnectionSecurity(Kind kind, boolean tlsDisabled, Map<String, String> parameters) {
        this.kind = kind;
        this.tlsDisabled = tlsDisabled;
        this.urlParameters = parameters;
    }

    /**
     * Checks the URL, the TLS choice and the credentials together.
     *
     * @param hasPassword whether a password will be sent
     * @throws IllegalArgumentException naming what to change
     */
    public static ConnectionSecurity of(String url, boolean tlsDisabled, boolean hasPassword) {
        Kind kind = kind(url);
        ConnectionSecurity security = new ConnectionSecurity(kind, tlsDisabled, parameters(url));
        security.check(url, hasPassword);
        return security;
    }

    public Kind kind() {
        return kind;
    }

    public boolean iam() {
        return kind == Kind.REDSHIFT_IAM;
    }

    /**
     * IAM to a provisioned cluster needs a database user: the driver sends {@code DbUser} from the
     * {@code DbUser} connection property, else from the user, and {@code GetClusterCredentials}
     * requires it (Redshift API reference, "GetClusterCredentials": DbUser is required; driver
     * 2.1.0.33, {@code IamHelper.constructRequestForGetClusterCredentials} sends {@code m_dbUser},
     * else the user). Without one the driver fails every connection with SQLState 99999 ("IAM error
     * retrieving temp credentials"), which would be retried as transient; so it is refused here, at
     * start-up. Serverless hosts ({@code *.redshift-serverless.amazonaws.com}), and any host when
     * the URL sets {@code isServerless=true} (the driver's own rule, {@code
     * IamHelper.setIAMProperties}), use {@code ServerlessIamHelper}'s {@code GetCredentials}, which
     * sends no user.
     *
     * @throws IllegalArgumentException for a provisioned IAM URL with neither
     */
    void requireDbUser(String url, @Nullable String user) {
        if (!iam() || (user != null && !user.isBlank())) {
            return;
        }
        String dbUser = urlParameters.get("dbuser");
        if (dbUser != null && !dbUser.isBlank()) {
            return;
        }
        String host = url.substring(REDSHIFT_IAM_PREFIX.length()).replaceFirst("^//", "");
        int end = host.indexOf('/') >= 0 ? host.indexOf('/') : host.length();
        host = host.substring(0, end).replaceFirst(":[0-9]+$", "").toLowerCase(Locale.ROOT);
        if (host.endsWith(".redshift-serverless.amazonaws.com")
                || "true".equalsIgnoreCase(urlParameters.get("isserverless"))) {
            return;
        }
        throw new IllegalArgumentException(
                "IAM authentication to a provisioned Redshift cluster needs a database user,"
                        + " sent as DbUser to GetClusterCredentials: set Warehouse username, or"
                        + " DbUser in the JDBC URL "
                        + SqlIdentifiers.describe(DriverManagerConnectionProvider.redact(url)));
    }

    /** Whether the user may be left out: IAM URLs need none. */
    public boolean userOptional() {
        return iam();
    }

    private void check(String url, boolean hasPassword) {
        String shown = SqlIdentifiers.describe(DriverManagerConnectionProvider.redact(url));
        if (kind == Kind.POSTGRESQL) {
            if (tlsDisabled) {
                throw new IllegalArgumentException(
                        "tls.disable applies to jdbc:redshift: URLs only; for PostgreSQL choose"
                                + " TLS with sslmode in the URL "
                                + shown);
            }
            requireClass(POSTGRESQL_DRIVER, "org.postgresql:postgresql");
            return;
        }
        requireClass(REDSHIFT_DRIVER, "com.amazon.redshift:redshift-jdbc42");
        if (!tlsDisabled) {
            String ssl = urlParameters.get("ssl");
            String mode = urlParameters.get("sslmode");
            if ("false".equalsIgnoreCase(ssl)
                    || (mode != null
                            && INSECURE_SSL_MODES.contains(mode.toLowerCase(Locale.ROOT)))) {
                throw new IllegalArgumentException(
                        "The JDBC URL "
                                + shown
                                + " turns TLS off; Sluice connects to Redshift with TLS. Remove"
                                + " ssl/sslmode from the URL, or set Warehouse tls.disable=true to"
                                + " connect without TLS");
            }
        }
        if (iam()) {
            if (hasPassword) {
                throw new IllegalArgumentException(
                        "The JDBC URL "
                                + shown
                                + " authenticates with IAM (jdbc:redshift:iam:), which takes no"
                                + " password; remove password, password.env, password.file and"
                                + " password.secret.arn");
            }
            for (Map.Entry<String, String> needed : IAM_CLASSES.entrySet()) {
                requireClass(needed.getKey(), needed.getValue());
            }
        }
    }

    /**
     * The connection properties for the driver: TLS settings, the user (as {@code DbUser} for IAM)
     * and the password, if any.
     */
    Properties properties(@Nullable String user, @Nullable String password) {
        Properties properties = new Properties();
        if (kind != Kind.POSTGRESQL) {
            if (tlsDisabled) {
                properties.setProperty("ssl", "false");
            } else {
                properties.setProperty("ssl", "true");
                if (!urlParameters.containsKey("sslmode")) {
                    properties.setProperty("sslmode", DEFAULT_SSL_MODE);
                }
            }
        }
        if (user != null) {
            if (iam()) {
                if (!urlParameters.containsKey("dbuser")) {
                    properties.setProperty("DbUser", user);
                }
            } else {
                properties.setProperty("user", user);
            }
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    static Kind kind(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRESQL_PREFIX)) {
            return Kind.POSTGRESQL;
        }
        if (lower.startsWith(REDSHIFT_IAM_PREFIX)) {
            return Kind.REDSHIFT_IAM;
        }
        if (lower.startsWith(REDSHIFT_PREFIX)) {
            return Kind.REDSHIFT;
        }
        throw new IllegalArgumentException(
                "The JDBC URL "
                        + SqlIdentifiers.describe(DriverManagerConnectionProvider.redact(url))
                        + " must start with "
                        + POSTGRESQL_PREFIX
                        + ", "
                        + REDSHIFT_PREFIX
                        + " or "
                        + REDSHIFT_IAM_PREFIX);
    }

    /** {@code key=value} pairs after the first {@code ?} or {@code ;}, keys lower-cased. */
    static Map<String, String> parameters(String url) {
        Map<String, String> parameters = new TreeMap<>();
        int start = -1;
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) == '?' || url.charAt(i) == ';') {
                start = i + 1;
                break;
            }
        }
        if (start < 0) {
            return parameters;
        }
        for (String pair : url.substring(start).split("[&;?]")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(
                        pair.substring(0, equals).trim().toLowerCase(Locale.ROOT),
                        pair.substring(equals + 1).trim());
            }
        }
        return parameters;
    }

    private static void requireClass(String className, String artifact) {
        try {
            Class.forName(className, false, ConnectionSecurity.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(
                    "The class "
                            + className
                            + " is not on the class path; the job jar needs "
                            + artifact);
        }
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.POSTGRESQL ? "" : tlsDisabled ? ", TLS off" : ", TLS on");
    }
}
