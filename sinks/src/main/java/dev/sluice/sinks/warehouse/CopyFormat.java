package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.JsonCsvRow;
import dev.sluice.sinks.s3.format.OutputFormat;

import java.util.List;
import java.util.Set;

/**
 * What COPY must be told about the staged files' format, and which {@code CopyOptions} would
 * contradict it; checked when the loader's configuration is built.
 *
 * <ul>
 *   <li><b>JSON lines</b>: the options say how to read them, as in Firehose ({@code JSON 'auto'
 *       GZIP …}, the default, or {@code JSON 'auto'} for uncompressed files). Options naming
 *       another format are refused; for Redshift, {@code GZIP} must be there exactly when the
 *       staged files are GZIP, because Redshift does not look at file names.
 *   <li><b>CSV</b> and <b>Parquet</b>: the loader writes the format clause itself, so that it
 *       always matches the staged files: Redshift's COPY gets {@code FORMAT AS CSV NULL AS '\\N'}
 *       (the NULL marker of {@link JsonCsvRow}; plus {@code GZIP} for {@code .csv.gz} files) or
 *       {@code FORMAT AS PARQUET} (Parquet compresses inside the file, so never {@code GZIP}).
 *       Options that choose a format, a delimiter, quoting or a file compression are refused;
 *       options such as {@code TIMEFORMAT}, {@code EMPTYASNULL} or {@code MAXERROR} pass through to
 *       Redshift; {@code NULL} is the loader's. The staged CSV has the {@code csv.columns} fields
 *       in order and no header, and COPY maps them to the table's columns by position, so both
 *       lists must be equally long.
 *   <li>The postgres dialect cannot read Parquet; such a configuration is refused.
 * </ul>
 */
final class CopyFormat {

    /** Keywords that name an input format; refused when they contradict the staged files. */
    private static final Set<String> FORMATS =
            Set.of("JSON", "CSV", "PARQUET", "ORC", "AVRO", "FIXEDWIDTH", "SHAPEFILE", "FORMAT");

    /** Keywords the loader writes itself for CSV and Parquet, or that CSV cannot be read with. */
    private static final Set<String> OWNED_FOR_CSV_AND_PARQUET =
            Set.of(
                    "DELIMITER",
                    "GZIP",
                    "BZIP2",
                    "LZOP",
                    "ZSTD",
                    "REMOVEQUOTES",
                    "ESCAPE",
                    "NOSHRED",
                    "QUOTE",
                    "NULL");

    /**
     * The only CopyOptions words a Parquet COPY takes besides those the loader writes (FROM,
     * IAM_ROLE, MANIFEST, FORMAT AS PARQUET): Developer Guide, "COPY from columnar data formats"
     * lists ACCEPTINVCHARS, FILLRECORD, FROM, IAM_ROLE, CREDENTIALS, STATUPDATE, MANIFEST and
     * EXPLICIT_IDS, and says ACCEPTANYDATE and MAXERROR are not supported. ON/OFF/TRUE/FALSE are
     * STATUPDATE's arguments. CREDENTIALS is left out: the loader authorises with IAM_ROLE.
     */
    static final Set<String> PARQUET_OPTIONS =
            Set.of(
                    "ACCEPTINVCHARS",
                    "FILLRECORD",
                    "STATUPDATE",
                    "EXPLICIT_IDS",
                    "ON",
                    "OFF",
                    "TRUE",
                    "FALSE");

    private CopyFormat() {}

    /** The CopyOptions a staging format gets when none are configured. */
    public static String defaultCopyOptions(FileFormat staging) {
        if (staging.format() != OutputFormat.JSON) {
            return "";
        }
        return staging.compression() == Compression.GZIP
                ? CopyTarget.DEFAULT_COPY_OPTIONS
                : "JSON 'auto'";
    }

    /**
     * @throws IllegalArgumentException naming the conflict
     */
    static void validate(
            FileFormat staging,
            CopyOptions options,
            WarehouseDialect dialect,
            List<String> columns) {
        OutputFormat format = staging.format();
        if (format == OutputFormat.PARQUET && dialect == WarehouseDialect.POSTGRES) {
            throw new IllegalArgumentException(
                    "The postgres dialect cannot load Parquet staged files; stage JSON or CSV for"
                            + " PostgreSQL, or load Parquet into Redshift");
        }
        for (CopyOptions.Token token : options.tokens()) {
            String keyword = token.keyword();
            if (keyword == null) {
                continue;
            }
            boolean otherFormat =
                    FORMATS.contains(keyword)
                            && !(format == OutputFormat.JSON && keyword.equals("JSON"));
            if (otherFormat
                    || (format != OutputFormat.JSON
                            && OWNED_FOR_CSV_AND_PARQUET.contains(keyword))) {
                throw new IllegalArgumentException(
                        "CopyOptions "
                                + SqlIdentifiers.describe(options.text())
                                + " say "
                                + keyword
                                + ", but the staged files are "
                                + staging
                                + (format == OutputFormat.JSON
                                        ? ""
                                        : "; the loader writes "
                                                + redshiftClause(staging)
                                                + " itself to match them"));
            }
        }
        if (format == OutputFormat.PARQUET) {
            for (CopyOptions.Token token : options.tokens()) {
                String keyword = token.keyword();
                if (keyword != null && !PARQUET_OPTIONS.contains(keyword)) {
                    throw new IllegalArgumentException(
                            "CopyOptions "
                                    + SqlIdentifiers.describe(options.text())
                                    + " say "
                                    + keyword
                                    + ", which Redshift does not take for Parquet; a Parquet COPY"
                                    + " accepts only ACCEPTINVCHARS, FILLRECORD, STATUPDATE and"
                                    + " EXPLICIT_IDS");
                }
            }
        }
        if (format == OutputFormat.JSON && dialect == WarehouseDialect.REDSHIFT) {
            boolean gzip = staging.compression() == Compression.GZIP;
            if (options.hasKeyword("GZIP") != gzip) {
                throw new IllegalArgumentException(
                        "CopyOptions "
                                + SqlIdentifiers.describe(options.text())
                                + (gzip ? " lack GZIP, but" : " say GZIP, but")
                                + " the staged files are "
                                + staging);
            }
        }
        if (format == OutputFormat.CSV
                && !staging.columns().isEmpty()
                && !columns.isEmpty()
                && staging.columns().size() != columns.size()) {
            throw new IllegalArgumentException(
                    "The staged CSV has "
                            + staging.columns().size()
                            + " fields (csv.columns) but the table's column list has "
                            + columns.size()
                            + "; COPY maps them by position, so they must match");
        }
    }

    /** {@code FORMAT AS CSV [GZIP]}, {@code FORMAT AS PARQUET}, or empty for JSON. */
    static String redshiftClause(FileFormat staging) {
        switch (staging.format()) {
            case CSV:
                return "FORMAT AS CSV NULL AS "
                        + RedshiftDialect.literal(JsonCsvRow.NULL_MARKER)
                        + (staging.compression() == Compression.GZIP ? " GZIP" : "");
            case PARQUET:
                return "FORMAT AS PARQUET";
            default:
                return "";
        }
    }

    /** The text after {@code MANIFEST}: the format clause, then the configured options. */
    static String redshiftOptions(FileFormat staging, CopyOptions options) {
        String clause = redshiftClause(staging);
        if (clause.isEmpty()) {
            return options.text();
        }
        return options.text().isBlank() ? clause : clause + " " + options.text();
    }
}
