package dev.sluice.job.config;

import dev.sluice.sinks.loader.MergeLimits;
import dev.sluice.sinks.warehouse.CopyTarget;
import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.LoadRetryPolicy;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Property group {@value #GROUP}: the table that staged files are COPYed into, the role of
 * Firehose's {@code RedshiftDestinationConfiguration}. The Firehose field each key replaces is
 * named in its description.
 */
public final class WarehouseOptions {

    public static final String GROUP = "Warehouse";

    public static final ConfigOption<String> DIALECT =
            ConfigOptions.key("dialect")
                    .stringType()
                    .defaultValue("redshift")
                    .withDescription(
                            "'redshift' issues COPY … FROM the manifest in S3; 'postgres' streams the"
                                    + " manifest's files through COPY … FROM STDIN.");

    public static final ConfigOption<String> JDBC_URL =
            ConfigOptions.key("jdbc.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "JDBC URL (Firehose: ClusterJDBCURL), e.g."
                                    + " jdbc:redshift://host:5439/dev or jdbc:postgresql://host/db"
                                    + " (required).");

    public static final ConfigOption<String> USERNAME =
            ConfigOptions.key("username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database user (Firehose: Username); required. For"
                                    + " jdbc:redshift:iam: URLs it is sent as DbUser and may be"
                                    + " left out only for Redshift Serverless or when the URL"
                                    + " sets DbUser.");

    public static final ConfigOption<Boolean> TLS_DISABLE =
            ConfigOptions.key("tls.disable")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Connect to Redshift without TLS. By default jdbc:redshift: URLs"
                                    + " connect with ssl=true (sslmode=verify-ca unless the URL"
                                    + " sets one), and a URL that turns TLS off is refused unless"
                                    + " this is true. Not for jdbc:postgresql: URLs (set sslmode"
                                    + " in the URL).");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database password (Firehose: Password). Prefer password.secret.arn"
                                    + " (MSF) or password.file (Kubernetes); never logged.");

    public static final ConfigOption<String> PASSWORD_ENV =
            ConfigOptions.key("password.env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Name of an environment variable holding the password, read on the"
                                    + " task manager that runs the loader. It must also be set"
                                    + " where the job's main method runs, else start-up fails."
                                    + " Not for MSF, which cannot set environment variables.");

    public static final ConfigOption<String> TABLE =
            ConfigOptions.key("table")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Target table, 'schema.table' or 'table' (Firehose: DataTableName)"
                                    + " (required).");

    public static final ConfigOption<String> COLUMNS =
            ConfigOptions.key("columns")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Comma-separated target columns (Firehose: DataTableColumns)"
                                    + " (required).");

    public static final ConfigOption<String> COPY_OPTIONS =
            ConfigOptions.key("copy.options")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Options appended to COPY as written for Firehose (Firehose:"
                                    + " CopyOptions). Default: JSON 'auto' GZIP for GZIP JSON"
                                    + " staging, JSON 'auto' for uncompressed JSON, none for CSV"
                                    + " and Parquet, whose FORMAT AS clause the loader writes"
                                    + " itself. Options contradicting the staging format are"
                                    + " refused.");

    public static final ConfigOption<String> IAM_ROLE =
            ConfigOptions.key("iam.role")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "IAM role ARN Redshift assumes to read the staged files (Firehose:"
                                    + " RoleARN); required for the redshift dialect.");

    public static final ConfigOption<String> LEDGER_SCHEMA =
            ConfigOptions.key("ledger.schema")
                    .stringType()
                    .defaultValue("public")
                    .withDescription("Schema holding Sluice's load ledger tables.");

    public static final ConfigOption<String> PASSWORD_FILE =
            ConfigOptions.key("password.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Path of a file holding the password (e.g. a mounted Kubernetes"
                                    + " secret), read on the task manager at every connection;"
                                    + " surrounding whitespace and a trailing newline are"
                                    + " ignored. At most one of password, password.env,"
                                    + " password.file, password.secret.arn.");

    public static final ConfigOption<String> PASSWORD_SECRET_ARN =
            ConfigOptions.key("password.secret.arn")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ARN of an AWS Secrets Manager secret holding the password (bare, or"
                                    + " JSON with a 'password' key), read on the task manager"
                                    + " with its own credentials and cached for 5 minutes"
                                    + " (Firehose: SecretsManagerConfiguration.SecretARN).");

    public static final ConfigOption<Boolean> COLUMN_TYPES_CHECK =
            ConfigOptions.key("column.types.check")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Read the table's column types when the job starts and make staged"
                                    + " values fit them (epoch numbers into timestamp and date"
                                    + " columns become timestamps); values that cannot fit (too"
                                    + " long, out of range, not a number, an impossible date, a"
                                    + " NUL character, a JSON object in a scalar column) go to"
                                    + " errors/format-conversion-failed/ naming the column. JSON"
                                    + " and CSV staging; Parquet values follow the Avro schema."
                                    + " false = stage values as the transform left them.");

    public static final ConfigOption<Long> MAX_REJECTED_ROWS =
            ConfigOptions.key("max.rejected.rows")
                    .longType()
                    .defaultValue((long) CopyTarget.DEFAULT_MAX_REJECTED_ROWS)
                    .withDescription(
                            "Rows one load may have rejected by the warehouse (a value the column"
                                    + " refuses) while the rest of it goes in; they go to"
                                    + " errors/load-rejected/, one envelope per row, and the"
                                    + " ledger counts them. With more, the whole load goes to"
                                    + " errors/load-failed/: a mismatch that rejects most rows"
                                    + " shows as one failed load. On redshift it is sent as COPY"
                                    + " MAXERROR (this + 1), so copy.options must not set"
                                    + " MAXERROR; not for Parquet staging. 0–99999; 0 = any"
                                    + " rejected row fails the whole load.");

    public static final ConfigOption<Long> STATEMENT_TIMEOUT_S =
            ConfigOptions.key("statement.timeout.s")
                    .longType()
                    .defaultValue(DriverManagerConnectionProvider.DEFAULT_STATEMENT_TIMEOUT_S)
                    .withDescription(
                            "Longest a single warehouse statement (the lock wait, the COPY) may"
                                    + " run before the warehouse cancels it; sent as SET"
                                    + " statement_timeout on every loader session. A cancelled"
                                    + " load is retried like any transient failure. 0–86400;"
                                    + " 0 = the warehouse's own setting.");

    public static final ConfigOption<Long> RETRY_DURATION_S =
            ConfigOptions.key("retry.duration.s")
                    .longType()
                    .defaultValue(LoadRetryPolicy.DEFAULT_RETRY_DURATION_S)
                    .withDescription(
                            "How long a load failing with a connection or other transient error"
                                    + " is retried, with exponential backoff and jitter, before"
                                    + " its manifest goes to errors/load-failed/ (Firehose:"
                                    + " RetryOptions.DurationInSeconds). 0–7200; 0 = no retry."
                                    + " Data errors are not retried.");

    public static final ConfigOption<Long> RETRY_BACKOFF_INITIAL_MS =
            ConfigOptions.key("retry.backoff.initial.ms")
                    .longType()
                    .defaultValue(LoadRetryPolicy.DEFAULT_INITIAL_BACKOFF_MS)
                    .withDescription(
                            "Upper bound of the first retry's random wait; doubles per retry."
                                    + " 1–600000.");

    public static final ConfigOption<Long> RETRY_BACKOFF_MAX_MS =
            ConfigOptions.key("retry.backoff.max.ms")
                    .longType()
                    .defaultValue(LoadRetryPolicy.DEFAULT_MAX_BACKOFF_MS)
                    .withDescription(
                            "Largest random wait between retries. retry.backoff.initial.ms–"
                                    + "600000.");

    public static final ConfigOption<Long> MERGE_MAX_FILES =
            ConfigOptions.key("merge.max.files")
                    .longType()
                    .defaultValue((long) MergeLimits.DEFAULT_MAX_FILES)
                    .withDescription(
                            "Most files one load takes when the loader has fallen behind and the"
                                    + " files of several completed checkpoints are waiting; they"
                                    + " go in one COPY, oldest first. 1–"
                                    + MergeLimits.MAX_FILES
                                    + ".");

    public static final ConfigOption<Long> MERGE_MAX_MB =
            ConfigOptions.key("merge.max.mb")
                    .longType()
                    .defaultValue(MergeLimits.DEFAULT_MAX_MB)
                    .withDescription(
                            "Most staged MiB one load takes when checkpoints are waiting (a single"
                                    + " larger file is loaded alone). 1–"
                                    + MergeLimits.MAX_MB
                                    + ".");

    public static final List<ConfigOption<?>> ALL =
            List.of(
                    DIALECT,
                    JDBC_URL,
                    USERNAME,
                    TLS_DISABLE,
                    PASSWORD,
                    PASSWORD_ENV,
                    PASSWORD_FILE,
                    PASSWORD_SECRET_ARN,
                    TABLE,
                    COLUMNS,
                    COPY_OPTIONS,
                    IAM_ROLE,
                    LEDGER_SCHEMA,
                    COLUMN_TYPES_CHECK,
                    MAX_REJECTED_ROWS,
                    STATEMENT_TIMEOUT_S,
                    RETRY_DURATION_S,
                    RETRY_BACKOFF_INITIAL_MS,
                    RETRY_BACKOFF_MAX_MS,
                    MERGE_MAX_FILES,
                    MERGE_MAX_MB);

    private WarehouseOptions() {}
}
