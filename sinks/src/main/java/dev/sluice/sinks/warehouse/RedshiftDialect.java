package dev.sluice.sinks.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Loads with Redshift's own {@code COPY … MANIFEST}: Redshift reads the files from S3 in parallel
 * across its slices, and the loader only sends one statement.
 *
 * <pre>{@code
 * COPY "schema"."table" ("c1","c2") FROM 's3://bucket/manifests/<loadId>.manifest'
 *     IAM_ROLE 'arn:aws:iam::123456789012:role/load' MANIFEST JSON 'auto' GZIP
 * }</pre>
 *
 * <p>Literals are written with quotes doubled and backslashes doubled, because Redshift treats a
 * backslash in a literal as an escape. The row count comes from {@code pg_last_copy_count()}.
 * Flink's S3 file systems may name files {@code s3a://} or {@code s3p://}; Redshift only knows
 * {@code s3://}, so manifest entries and the manifest url are rewritten to it.
 */
final class RedshiftDialect implements WarehouseDialect {

    private static final long serialVersionUID = 1L;

    static final RedshiftDialect INSTANCE = new RedshiftDialect();

    /** An IAM role ARN, or several comma-separated for role chaining. */
    private static final Pattern IAM_ROLES =
            Pattern.compile(
                    "arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+"
                            + "(,arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+)*");

    private static final Pattern S3_SCHEME = Pattern.compile("(?i)^s3[anp]?://");

    private RedshiftDialect() {}

    @Override
    public String name() {
        return "redshift";
    }

    @Override
    public int maxIdentifierBytes() {
        return SqlIdentifiers.MAX_IDENTIFIER_BYTES;
    }

    @Override
    public void validate(CopyTarget target) {
        String role = target.iamRole();
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException(
                    "The redshift dialect needs an IAM role for COPY to read S3: set iamRole to a"
                            + " role ARN (or to 'default' for the cluster's default role)");
        }
        if (!role.equalsIgnoreCase("default") && !IAM_ROLES.matcher(role).matches()) {
            throw new IllegalArgumentException(
                    "The IAM role "
                            + SqlIdentifiers.describe(role)
                            + " is not an IAM role ARN (arn:aws:iam::<account>:role/<name>,"
                            + " comma-separated for chaining) nor 'default'");
        }
    }

    @Override
    public String lockStatement(String quotedLockTable) {
        // Redshift's only explicit lock: ACCESS EXCLUSIVE on a whole table (Developer Guide, LOCK).
        // It is taken on the target's own lock table, which nothing reads.
        return "LOCK " + quotedLockTable;
    }

    @Override
    public boolean declaresPrimaryKeys() {
        return false;
    }

    /**
     * A compound sort key (Developer Guide, "CREATE TABLE": {@code SORTKEY ( column_name [,...] )}
     * after the column list), so the per-load {@code WHERE target_table = ? AND file_url IN (…)}
     * reads only the blocks of one table's urls as the ledger grows.
     */
    @Override
    public String sortKeyClause(String columns) {
        return " SORTKEY (" + columns + ")";
    }

    @Override
    public String warehouseUrl(String url) {
        if (!S3_SCHEME.matcher(url).find()) {
            throw new IllegalArgumentException(
                    "Redshift COPY reads only from S3, but got "
                            + SqlIdentifiers.describe(url)
                            + "; use an s3:// path");
        }
        return "s3://" + url.substring(url.indexOf("://") + 3);
    }

    @Override
    public long copy(
            Connection connection, CopyTarget target, Manifest manifest, String manifestUrl)
            throws SQLException {
        String sql = copyStatement(target, manifestUrl);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            try (ResultSet rows = statement.executeQuery("SELECT pg_last_copy_count()")) {
                if (!rows.next()) {
                    throw new SQLException("pg_last_copy_count() returned no row");
                }
                return rows.getLong(1);
            }
        }
    }

    /** The COPY statement for a configuration, exactly as sent; for tests to pin. */
    static String copyStatement(CopyTarget target, String manifestUrl) {
        return copyStatement(
                target.table(),
                target.columns(),
                manifestUrl,
                target.iamRole(),
                CopyFormat.redshiftOptions(target.stagingFormat(), target.copyOptions()));
    }

    /** The COPY statement, exactly as sent; pure so that tests can pin it. */
    static String copyStatement(
            TableName table,
            List<String> columns,
            String manifestUrl,
            String iamRole,
            String copyOptions) {
        StringBuilder sql = new StringBuilder("COPY ").append(table.quoted());
        if (!columns.isEmpty()) {
            sql.append(" (").append(SqlIdentifiers.quoteAll(columns)).append(')');
        }
        sql.append(" FROM ").append(literal(manifestUrl));
        sql.append(" IAM_ROLE ")
                .append(
                        iamRole.trim().toLowerCase(Locale.ROOT).equals("default")
                                ? "default"
                                : literal(iamRole.trim()));
        sql.append(" MANIFEST");
        if (!copyOptions.isBlank()) {
            sql.append(' ').append(copyOptions.trim());
        }
        return sql.toString();
    }

    /** A Redshift string literal: quotes and backslashes doubled. */
    static String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "''") + '\'';
    }

    /** There is one instance; keep it so after Java deserialization. */
    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return name();
    }

    /** Reads this session's rows of {@code sys_load_error_detail} or {@code stl_load_errors}. */
    @Override
    public List<LoadErrorDetail> loadErrors(Connection connection) {
        return LoadErrorQueries.redshift(connection);
    }
}
