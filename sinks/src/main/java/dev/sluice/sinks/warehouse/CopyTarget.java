package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.FileFormat;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;

/**
 * Where and how a load COPYs: the warehouse dialect, the table and its columns, Firehose's
 * CopyOptions, the IAM role COPY assumes, and the format of the staged files it reads. Validated
 * once in {@link Builder#build()}, so a wrong setting fails when the job is built, not at the first
 * checkpoint.
 *
 * <p>One of the three parts of a {@link WarehouseLoaderConfig}, beside the {@link LedgerOptions}
 * and the {@link JdbcConnectionProvider}. Each setting is described in {@code
 * docs/configuration.md}.
 */
public final class CopyTarget implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Firehose's CopyOptions for GZIP JSON lines, the default staging format. */
    public static final String DEFAULT_COPY_OPTIONS = "JSON 'auto' GZIP";

    /**
     * Rows one load may have rejected by the warehouse and still go in, the rest of it loaded; with
     * more, the whole load is written off to {@code errors/load-failed/}. A hundred is enough for
     * the odd bad value in a checkpoint's worth of rows, while a load where a systematic mismatch
     * (a wrong column type, a wrong format) rejects every row still fails whole and visibly instead
     * of trickling its rows into {@code errors/load-rejected/}; on {@code postgres} each rejected
     * row also costs one more pass over its file, so the budget bounds that work.
     */
    public static final int DEFAULT_MAX_REJECTED_ROWS = 100;

    /**
     * The largest budget: Redshift's {@code MAXERROR} accepts at most 100,000 (Developer Guide,
     * "Data load operations"), and the loader sends the budget plus one.
     */
    public static final int MAX_MAX_REJECTED_ROWS = 99_999;

    private final WarehouseDialect dialect;
    private final TableName table;
    private final List<String> columns;
    private final CopyOptions copyOptions;
    @Nullable private final String iamRole;
    private final FileFormat stagingFormat;
    private final int maxRejectedRows;

    private CopyTarget(
            WarehouseDialect dialect,
            TableName table,
            List<String> columns,
            CopyOptions copyOptions,
            @Nullable String iamRole,
            FileFormat stagingFormat,
            int maxRejectedRows) {
        this.dialect = dialect;
        this.table = table;
        this.columns = columns;
        this.copyOptions = copyOptions;
        this.iamRole = iamRole;
        this.stagingFormat = stagingFormat;
        this.maxRejectedRows = maxRejectedRows;
    }

    public static Builder builder() {
        return new Builder();
    }

    public WarehouseDialect dialect() {
        return dialect;
    }

    /** Firehose's DataTableName. */
    public TableName table() {
        return table;
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

    /** The staged files' format: JSON lines, CSV or Parquet, and their compression. */
    public FileFormat stagingFormat() {
        return stagingFormat;
    }

    /**
     * Rows one load may have rejected and still go in ({@link #DEFAULT_MAX_REJECTED_ROWS}); 0 means
     * any rejected row fails the whole load.
     */
    public int maxRejectedRows() {
        return maxRejectedRows;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return builder()
                .dialect(dialect)
                .targetTable(table.toString())
                .columns(columns)
                .copyOptions(copyOptions.text())
                .iamRole(iamRole)
                .stagingFormat(stagingFormat)
                .maxRejectedRows(maxRejectedRows);
    }

    @Override
    public String toString() {
        return "dialect="
                + dialect.name()
                + ", targetTable="
                + table
                + ", columns="
                + columns
                + ", copyOptions="
                + copyOptions
                + ", iamRole="
                + iamRole
                + ", stagingFormat="
                + stagingFormat
                + ", maxRejectedRows="
                + maxRejectedRows;
    }

    /** Collects settings; {@link #build()} validates them all. */
    public static final class Builder {

        private WarehouseDialect dialect;
        private String targetTable;
        private List<String> columns = List.of();
        private String copyOptions;
        private FileFormat stagingFormat = FileFormat.json();
        private String iamRole;
        private int maxRejectedRows = DEFAULT_MAX_REJECTED_ROWS;

        private Builder() {}

        /** {@link WarehouseDialect#named} resolves the configuration's name. */
        public Builder dialect(WarehouseDialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /** Firehose's DataTableName: {@code table} or {@code schema.table}. */
        public Builder targetTable(String table) {
            this.targetTable = table;
            return this;
        }

        /** Firehose's DataTableColumns, already split; empty for no column list. */
        public Builder columns(List<String> names) {
            this.columns = names == null ? null : List.copyOf(names);
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

        /** The staged files' format; GZIP JSON lines unless set. */
        public Builder stagingFormat(FileFormat stagingFormat) {
            this.stagingFormat = stagingFormat;
            return this;
        }

        /**
         * Rows one load may have rejected and still go in, 0 to {@link #MAX_MAX_REJECTED_ROWS};
         * {@link #DEFAULT_MAX_REJECTED_ROWS} unless set.
         */
        public Builder maxRejectedRows(int maxRejectedRows) {
            this.maxRejectedRows = maxRejectedRows;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or invalid
         */
        public CopyTarget build() {
            if (dialect == null) {
                throw new IllegalArgumentException(
                        "The warehouse dialect must be set: redshift or postgres");
            }
            TableName table = SqlIdentifiers.table("target table", targetTable);
            List<String> columnNames =
                    SqlIdentifiers.columns("column", columns == null ? List.of() : columns);
            checkLength(dialect, "target table's schema", table.schema());
            checkLength(dialect, "target table", table.name());
            for (String column : columnNames) {
                checkLength(dialect, "column", column);
            }
            if (stagingFormat == null) {
                throw new IllegalArgumentException("The staging format must be set");
            }
            CopyOptions options =
                    CopyOptions.parse(
                            copyOptions == null
                                    ? CopyFormat.defaultCopyOptions(stagingFormat)
                                    : copyOptions);
            if (maxRejectedRows < 0 || maxRejectedRows > MAX_MAX_REJECTED_ROWS) {
                throw new IllegalArgumentException(
                        "The rejected-row budget must be between 0 and "
                                + MAX_MAX_REJECTED_ROWS
                                + ", but is "
                                + maxRejectedRows);
            }
            String role = iamRole == null || iamRole.isBlank() ? null : iamRole.trim();
            CopyTarget target =
                    new CopyTarget(
                            dialect,
                            table,
                            columnNames,
                            options,
                            role,
                            stagingFormat,
                            maxRejectedRows);
            CopyFormat.validate(stagingFormat, options, dialect, columnNames);
            dialect.validate(target);
            return target;
        }
    }

    /** Rejects a name the dialect would silently truncate. */
    static void checkLength(WarehouseDialect dialect, String role, @Nullable String identifier) {
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
}
