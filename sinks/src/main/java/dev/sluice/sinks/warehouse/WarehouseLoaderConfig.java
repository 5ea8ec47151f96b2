package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.FileFormat;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link WarehouseLoader} needs, validated once when the job is built so that a wrong
 * setting fails at construction, not at the first checkpoint.
 *
 * <pre>{@code
 * WarehouseLoaderConfig config =
 *         WarehouseLoaderConfig.builder()
 *                 .dialect("redshift")
 *                 .targetTable("analytics.events")                 // DataTableName
 *                 .columns("event_id,user_id,payload")            // DataTableColumns
 *                 .copyOptions("JSON 'auto' GZIP TIMEFORMAT 'auto'") // CopyOptions
 *                 .iamRole("arn:aws:iam::123456789012:role/sluice-copy")
 *                 .manifestBasePath("s3://bucket/sluice/manifests/")
 *                 .connectionProvider(new DriverManagerConnectionProvider(url, user, password))
 *                 .build();
 * }</pre>
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>dialect</td><td>required</td><td>{@code redshift} or {@code postgres}</td></tr>
 *   <tr><td>targetTable</td><td>required</td><td>{@code table} or {@code schema.table}, plain
 *       identifiers</td></tr>
 *   <tr><td>columns</td><td>none (redshift), required (postgres)</td><td>comma-separated column
 *       names, as Firehose's DataTableColumns</td></tr>
 *   <tr><td>stagingFormat</td><td>{@link FileFormat#json()}</td><td>the staged files' format;
 *       decides the COPY's format clause (see {@link CopyFormat})</td></tr>
 *   <tr><td>copyOptions</td><td>{@value #DEFAULT_COPY_OPTIONS} for GZIP JSON lines; see {@link
 *       CopyFormat#defaultCopyOptions}</td><td>as Firehose's CopyOptions</td></tr>
 *   <tr><td>iamRole</td><td>required (redshift)</td><td>role ARN(s) COPY assumes to read S3, or
 *       {@code default}</td></tr>
 *   <tr><td>manifestBasePath</td><td>required</td><td>where manifests go, e.g. {@code
 *       s3://bucket/prefix/manifests/}</td></tr>
 *   <tr><td>ledgerSchema</td><td>{@value #DEFAULT_LEDGER_SCHEMA}</td><td>schema of the {@link
 *       LoadLedger} tables</td></tr>
 *   <tr><td>connectionProvider</td><td>required</td><td>opens warehouse connections</td></tr>
 *   <tr><td>failedLoadBasePath</td><td>{@code errors/load-failed/} next to {@code
 *       manifests/}</td><td>where loads that gave up leave their manifest and error
 *       document</td></tr>
 *   <tr><td>retryPolicy</td><td>{@link LoadRetryPolicy#defaults()}</td><td>retry window and
 *       backoff for transient failures</td></tr>
 *   <tr><td>mergeLimits</td><td>{@link MergeLimits#defaults()}</td><td>how many files and bytes
 *       one load may merge from a backlog of checkpoints</td></tr>
 * </table>
 */
public final class WarehouseLoaderConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_COPY_OPTIONS = "JSON 'auto' GZIP";
    public static final String DEFAULT_LEDGER_SCHEMA = "public";

    private final WarehouseDialect dialect;
    private final TableName targetTable;
    private final List<String> columns;
    private final CopyOptions copyOptions;
    @Nullable private final String iamRole;
    private final String manifestBasePath;
    private final String ledgerSchema;
    private final JdbcConnectionProvider connectionProvider;
    private final String failedLoadBasePath;
    private final LoadRetryPolicy retryPolicy;
    private final MergeLimits mergeLimits;
    private final FileFormat stagingFormat;

    private WarehouseLoaderConfig(
            WarehouseDialect dialect,
            TableName targetTable,
            List<String> columns,
            CopyOptions copyOptions,
            @Nullable String iamRole,
            String manifestBasePath,
            String ledgerSchema,
            JdbcConnectionProvider connectionProvider,
            String failedLoadBasePath,
            LoadRetryPolicy retryPolicy,
            MergeLimits mergeLimits,
            FileFormat stagingFormat) {
        this.mergeLimits = mergeLimits;
        this.stagingFormat = stagingFormat;
        this.failedLoadBasePath = failedLoadBasePath;
        this.retryPolicy = retryPolicy;
        this.dialect = dialect;
        this.targetTable = targetTable;
        this.columns = columns;
        this.copyOptions = copyOptions;
        this.iamRole = iamRole;
        this.manifestBasePath = manifestBasePath;
        this.ledgerSchema = ledgerSchema;
        this.connectionProvider = connectionProvider;
    }

    public static Builder builder() {
        return new Builder();
    }

    public WarehouseDialect dialect() {
        return dialect;
    }

    public TableName targetTable() {
        return targetTable;
    }

    /** Lower-case column names; empty means COPY without a column list (redshift only). */
    public List<String> columns() {
        return columns;
    }

    public CopyOptions copyOptions() {
        return copyOptions;
    }

    /** The role ARN(s) or {@code default}; null for the postgres dialect. */
    @Nullable
    public String iamRole() {
        return iamRole;
    }

    /** The manifest directory, always ending in {@code /}. */
    public String manifestBasePath() {
        return manifestBasePath;
    }

    /** Where the manifest of a load lives, as Flink's file systems name it. */
    public String manifestPath(LoadId loadId) {
        return manifestBasePath + loadId.value() + ".manifest";
    }

    public String ledgerSchema() {
        return ledgerSchema;
    }

    public JdbcConnectionProvider connectionProvider() {
        return connectionProvider;
    }

    /** Where loads that gave up go, always ending in {@code /}; see {@link FailedLoadWriter}. */
    public String failedLoadBasePath() {
        return failedLoadBasePath;
    }

    public LoadRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The staged files' format: JSON lines, CSV or Parquet, and their compression. */
    public FileFormat stagingFormat() {
        return stagingFormat;
    }

    /** How much one load may merge when checkpoints are waiting. */
    public MergeLimits mergeLimits() {
        return mergeLimits;
    }

    @Override
    public String toString() {
        return "WarehouseLoaderConfig{dialect="
                + dialect.name()
                + ", targetTable="
                + targetTable
                + ", columns="
                + columns
                + ", copyOptions="
                + copyOptions
                + ", iamRole="
                + iamRole
                + ", manifestBasePath="
                + manifestBasePath
                + ", ledgerSchema="
                + ledgerSchema
                + ", connectionProvider="
                + connectionProvider
                + ", failedLoadBasePath="
                + failedLoadBasePath
                + ", retryPolicy="
                + retryPolicy
                + ", mergeLimits="
                + mergeLimits
                + ", stagingFormat="
                + stagingFormat
                + '}';
    }

    /** Collects settings; {@link #build()} validates them all. */
    public static final class Builder {

        private WarehouseDialect dialect;
        private String dialectName;
        private String targetTable;
        private String columnsText;
        private List<String> columnList;
        private String copyOptions;
        private FileFormat stagingFormat = FileFormat.json();
        private String iamRole;
        private String manifestBasePath;
        private String ledgerSchema = DEFAULT_LEDGER_SCHEMA;
        private JdbcConnectionProvider connectionProvider;
        private String failedLoadBasePath;
        private LoadRetryPolicy retryPolicy = LoadRetryPolicy.defaults();
        private MergeLimits mergeLimits = MergeLimits.defaults();

        private Builder() {}

        /** The staged files' format; GZIP JSON lines unless set. */
        public Builder stagingFormat(FileFormat stagingFormat) {
            this.stagingFormat = stagingFormat;
            return this;
        }

        public Builder mergeLimits(MergeLimits mergeLimits) {
            this.mergeLimits = mergeLimits;
            return this;
        }

        /**
         * Directory for loads that gave up, e.g. {@code s3://bucket/prefix/errors/load-failed/};
         * by default {@code errors/load-failed/} beside the manifest directory.
         */
        public Builder failedLoadBasePath(String failedLoadBasePath) {
            this.failedLoadBasePath = failedLoadBasePath;
            return this;
        }

        public Builder retryPolicy(LoadRetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /** {@code redshift} or {@code postgres}. */
        public Builder dialect(String name) {
            this.dialectName = name;
            this.dialect = null;
            return this;
        }

        public Builder dialect(WarehouseDialect dialect) {
            this.dialect = dialect;
            this.dialectName = null;
            return this;
        }

        /** Firehose's DataTableName: {@code table} or {@code schema.table}. */
        public Builder targetTable(String table) {
            this.targetTable = table;
            return this;
        }

        /** Firehose's DataTableColumns: {@code "a,b,c"}. */
        public Builder columns(String commaSeparated) {
            this.columnsText = commaSeparated;
            this.columnList = null;
            return this;
        }

        public Builder columns(List<String> names) {
            this.columnList = names == null ? null : List.copyOf(names);
            this.columnsText = null;
            return this;
        }

        /**
         * Firehose's CopyOptions, verbatim; when not set (null), the staging format's {@link
         * CopyFormat#defaultCopyOptions default}.
         */
        public Builder copyOptions(String copyOptions) {
            this.copyOptions = copyOptions;
            return this;
        }

        /** Role ARN (or comma-separated chain), or {@code default}; redshift only. */
        public Builder iamRole(String iamRole) {
            this.iamRole = iamRole;
            return this;
        }

        /** Directory for manifests, e.g. {@code s3://bucket/prefix/manifests/}. */
        public Builder manifestBasePath(String manifestBasePath) {
            this.manifestBasePath = manifestBasePath;
            return this;
        }

        public Builder ledgerSchema(String ledgerSchema) {
            this.ledgerSchema = ledgerSchema;
            return this;
        }

        public Builder connectionProvider(JdbcConnectionProvider connectionProvider) {
            this.connectionProvider = connectionProvider;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or invalid
         */
        public WarehouseLoaderConfig build() {
            WarehouseDialect resolvedDialect = dialect;
            if (resolvedDialect == null) {
                if (dialectName == null) {
                    throw new IllegalArgumentException(
                            "The warehouse dialect must be set: redshift or postgres");
                }
                resolvedDialect = WarehouseDialect.named(dialectName);
            }
            TableName table = SqlIdentifiers.table("target table", targetTable);
            List<String> columnNames =
                    columnList != null
                            ? SqlIdentifiers.columns("column", columnList)
                            : SqlIdentifiers.columns("column", columnsText);
            String schema = SqlIdentifiers.identifier("ledger schema", ledgerSchema);
            checkLength(resolvedDialect, "target table's schema", table.schema());
            checkLength(resolvedDialect, "target table", table.name());
            for (String column : columnNames) {
                checkLength(resolvedDialect, "column", column);
            }
            checkLength(resolvedDialect, "ledger schema", schema);
            if (stagingFormat == null) {
                throw new IllegalArgumentException("The staging format must be set");
            }
            CopyOptions options =
                    CopyOptions.parse(
                            copyOptions == null
                                    ? CopyFormat.defaultCopyOptions(stagingFormat)
                                    : copyOptions);
            String role = iamRole == null || iamRole.isBlank() ? null : iamRole.trim();
            String basePath = normaliseBasePath("manifest base path", manifestBasePath);
            String failedPath =
                    failedLoadBasePath == null || failedLoadBasePath.isBlank()
                            ? defaultFailedLoadPath(basePath)
                            : normaliseBasePath("failed-load base path", failedLoadBasePath);
            if (retryPolicy == null) {
                throw new IllegalArgumentException("The retry policy must be set");
            }
            if (mergeLimits == null) {
                throw new IllegalArgumentException("The merge limits must be set");
            }
            if (connectionProvider == null) {
                throw new IllegalArgumentException("The JDBC connection provider must be set");
            }
            WarehouseLoaderConfig config =
                    new WarehouseLoaderConfig(
                            resolvedDialect,
                            table,
                            columnNames,
                            options,
                            role,
                            basePath,
                            schema,
                            connectionProvider,
                            failedPath,
                            retryPolicy,
                            mergeLimits,
                            stagingFormat);
            CopyFormat.validate(stagingFormat, options, resolvedDialect, columnNames);
            resolvedDialect.validate(config);
            return config;
        }

        private static void checkLength(
                WarehouseDialect dialect, String role, @Nullable String identifier) {
            if (identifier != null && identifier.length() > dialect.maxIdentifierBytes()) {
                throw new IllegalArgumentException(
                        "The "
                                + role
                                + " "
                                + SqlIdentifiers.describe(identifier)
                                + " is longer than the "
                                + dialect.maxIdentifierBytes()
                                + " bytes "
                                + dialect.name()
                                + " keeps of an identifier");
            }
        }

        /** {@code …/manifests/} → {@code …/errors/load-failed/}; else a subdirectory of it. */
        private static String defaultFailedLoadPath(String manifestPath) {
            String suffix = "manifests/";
            String parent =
                    manifestPath.endsWith("/" + suffix)
                            ? manifestPath.substring(0, manifestPath.length() - suffix.length())
                            : manifestPath;
            return parent + "errors/load-failed/";
        }

        private static String normaliseBasePath(String role, String path) {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException(
                        "The " + role + " must be set, e.g. s3://bucket/prefix/manifests/");
            }
            String trimmed = path.trim();
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "The " + role + " "
                                + SqlIdentifiers.describe(trimmed)
                                + " is not a URI: "
                                + e.getMessage(),
                        e);
            }
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException(
                        "The " + role + " "
                                + SqlIdentifiers.describe(trimmed)
                                + " needs a scheme, e.g. s3://bucket/prefix/manifests/");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(
                        "The " + role + " "
                                + SqlIdentifiers.describe(trimmed)
                                + " must not have a query or fragment");
            }
            return trimmed.endsWith("/") ? trimmed : trimmed + '/';
        }
    }

    /** For tests and the job: the same settings with another connection provider. */
    public WarehouseLoaderConfig withConnectionProvider(JdbcConnectionProvider provider) {
        return toBuilder().connectionProvider(Objects.requireNonNull(provider, "provider")).build();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return builder()
                .dialect(dialect)
                .targetTable(targetTable.toString())
                .columns(columns)
                .copyOptions(copyOptions.text())
                .iamRole(iamRole)
                .manifestBasePath(manifestBasePath)
                .ledgerSchema(ledgerSchema)
                .connectionProvider(connectionProvider)
                .failedLoadBasePath(failedLoadBasePath)
                .retryPolicy(retryPolicy)
                .mergeLimits(mergeLimits)
                .stagingFormat(stagingFormat);
    }
}
