package dev.sluice.job.config;

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
                    .withDescription("Database user (Firehose: Username) (required).");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database password (Firehose: Password). Prefer password.env; never"
                                    + " logged.");

    public static final ConfigOption<String> PASSWORD_ENV =
            ConfigOptions.key("password.env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Name of an environment variable holding the password, read on the"
                                    + " task manager that runs the loader.");

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
                    .defaultValue("JSON 'auto' GZIP")
                    .withDescription(
                            "Options appended to COPY as written for Firehose (Firehose:"
                                    + " CopyOptions); redshift dialect only.");

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

    public static final List<ConfigOption<?>> ALL =
            List.of(
                    DIALECT,
                    JDBC_URL,
                    USERNAME,
                    PASSWORD,
                    PASSWORD_ENV,
                    TABLE,
                    COLUMNS,
                    COPY_OPTIONS,
                    IAM_ROLE,
                    LEDGER_SCHEMA);

    private WarehouseOptions() {}
}
