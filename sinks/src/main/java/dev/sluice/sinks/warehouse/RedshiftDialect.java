package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.OutputFormat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
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
        return runCopy(connection, copyStatement(target, manifestUrl)).rows();
    }

    /**
     * COPY with {@code MAXERROR} set to the target's budget plus one, then, in the same session and
     * transaction, this COPY's rejected lines read back ({@link LoadErrorQueries#rejectedLines})
     * for the loader to write to {@code errors/load-rejected/} before it commits. Redshift itself
     * leaves the rejected lines out and loads the rest, so no second pass is needed; the statement
     * fails when the budget is exceeded, and the load is then written off whole with the reason.
     * Parquet staging is not isolated: Redshift does not support {@code MAXERROR} for columnar
     * formats (Developer Guide, "COPY from columnar data formats").
     */
    @Override
    public CopyResult copyIsolatingRejects(
            Connection connection,
            CopyTarget target,
            Manifest manifest,
            String manifestUrl,
            int maxRejectedRows)
            throws SQLException {
        String sql = copyStatement(target, manifestUrl, maxRejectedRows);
        return isolate(connection, target, maxRejectedRows, () -> runCopy(connection, sql));
    }

    /** What a COPY statement reported. */
    record Copied(long rows, long reportedRejected) {}

    /** Runs a COPY; for {@link #isolate} to be handed a stand-in in tests. */
    interface CopyRun {
        Copied run() throws SQLException;
    }

    /**
     * Everything after the COPY statement: budget exceeded → written off; else the rejected lines
     * read back, checked against what the COPY reported and against the budget.
     */
    static CopyResult isolate(
            Connection connection, CopyTarget target, int maxRejectedRows, CopyRun copy)
            throws SQLException {
        Copied copied;
        try {
            copied = copy.run();
        } catch (SQLException e) {
            if (isolates(target, maxRejectedRows)
                    && LoadFailureClassifier.isRedshiftLoadError(e.getMessage())) {
                // Still names stl_load_errors, so it stays a data error, and the loader reads the
                // details after the rollback.
                throw new SQLException(
                        "More than "
                                + maxRejectedRows
                                + " rows of this load were rejected (COPY MAXERROR "
                                + (maxRejectedRows + 1)
                                + "); the load is written off whole: "
                                + e.getMessage(),
                        e.getSQLState(),
                        e.getErrorCode(),
                        e);
            }
            throw e;
        }
        if (!isolates(target, maxRejectedRows)) {
            return new CopyResult(copied.rows(), List.of());
        }
        List<RejectedRow> rejected =
                LoadErrorQueries.rejectedLines(connection, maxRejectedRows + 1);
        if (rejected.size() > maxRejectedRows) {
            throw new SQLException(
                    "More than "
                            + maxRejectedRows
                            + " rows of this load were rejected; the load is written off whole"
                            + " (see stl_load_errors)",
                    "22000");
        }
        if (copied.reportedRejected() > rejected.size()) {
            throw new SQLException(
                    "The COPY reported "
                            + copied.reportedRejected()
                            + " rejected rows but the load error tables hold "
                            + rejected.size()
                            + " for it; the load is not committed, so that no rejected row is"
                            + " lost");
        }
        return new CopyResult(copied.rows(), rejected);
    }

    /** Whether a COPY for this target leaves rejected lines out instead of failing. */
    static boolean isolates(CopyTarget target, int maxRejectedRows) {
        return maxRejectedRows > 0 && target.stagingFormat().format() != OutputFormat.PARQUET;
    }

    /**
     * "Load into table 'x' completed, 3 record(s) could not be loaded", the notice Redshift sends
     * when MAXERROR let rows through; its wording is untried against a live cluster, so a missing
     * or different notice only skips this cross-check.
     */
    private static final Pattern NOT_LOADED =
            Pattern.compile("(\\d+) record\\(s\\) could not be loaded");

    private static Copied runCopy(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            long reported = 0;
            for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                Matcher m = w.getMessage() == null ? null : NOT_LOADED.matcher(w.getMessage());
                if (m != null && m.find()) {
                    reported = Math.max(reported, Long.parseLong(m.group(1)));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT pg_last_copy_count()")) {
                if (!rows.next()) {
                    throw new SQLException("pg_last_copy_count() returned no row");
                }
                return new Copied(rows.getLong(1), reported);
            }
        }
    }

    /** The COPY statement for a configuration, exactly as sent; for tests to pin. */
    static String copyStatement(CopyTarget target, String manifestUrl) {
        return copyStatement(target, manifestUrl, target.maxRejectedRows());
    }

    /**
     * As {@link #copyStatement(CopyTarget, String)}, with {@code MAXERROR <budget + 1>} after the
     * options where the load {@link #isolates}: Redshift fails a load that returns MAXERROR errors
     * or more (Developer Guide, "Data load operations"), so budget + 1 lets exactly the budget in.
     */
    static String copyStatement(CopyTarget target, String manifestUrl, int maxRejectedRows) {
        String options = CopyFormat.redshiftOptions(target.stagingFormat(), target.copyOptions());
        if (isolates(target, maxRejectedRows)) {
            options =
                    (options.isBlank() ? "" : options.trim() + ' ')
                            + "MAXERROR "
                            + (maxRejectedRows + 1);
        }
        return copyStatement(
                target.table(), target.columns(), manifestUrl, target.iamRole(), options);
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
