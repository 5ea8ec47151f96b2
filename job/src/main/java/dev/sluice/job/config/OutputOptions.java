package dev.sluice.job.config;

import dev.sluice.sinks.s3.BufferingHints;
import dev.sluice.sinks.s3.OutputRowFunction;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.GzipLevel;
import dev.sluice.sinks.s3.format.OutputFormat;
import dev.sluice.sinks.s3.prefix.PrefixTimeSource;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * The keys that describe one S3 output's files. The staging output ({@link StagingOptions}, group
 * {@code S3}) takes the {@link #SHARED} keys; every further output is a property group {@value
 * #GROUP_PREFIX}{@code <name>} with all of them, e.g. a Parquet data lake next to the JSON staging
 * that the warehouse loads.
 *
 * <p>Further outputs are written exactly once like the staging output (files commit on the same
 * checkpoints) but are not loaded into the warehouse. The buffering interval is the job's
 * checkpoint interval and so is shared by all outputs; the size cap is per output.
 */
public final class OutputOptions {

    /** Property groups whose id starts with this are further outputs; the rest is the name. */
    public static final String GROUP_PREFIX = "Output.";

    /** Output names: short, lower case, usable in object names and operator uids. */
    public static final String NAME_PATTERN = "[a-z][a-z0-9-]{0,31}";

    /** Further outputs only: S3 files (these keys) or a Firehose delivery stream. */
    public static final ConfigOption<OutputType> TYPE =
            ConfigOptions.key("type")
                    .enumType(OutputType.class)
                    .defaultValue(OutputType.S3)
                    .withDescription(
                            "S3 (files, exactly once: the keys not marked 'FIREHOSE only') or"
                                    + " FIREHOSE (an existing delivery stream, at least once: the"
                                    + " keys marked 'FIREHOSE only').");

    public static final ConfigOption<OutputFormat> FORMAT =
            ConfigOptions.key("format")
                    .enumType(OutputFormat.class)
                    .defaultValue(OutputFormat.JSON)
                    .withDescription("JSON (lines), CSV or PARQUET.");

    public static final ConfigOption<Compression> COMPRESSION =
            ConfigOptions.key("compression")
                    .enumType(Compression.class)
                    .noDefaultValue()
                    .withDescription(
                            "GZIP or NONE for JSON and CSV (default GZIP); SNAPPY, ZSTD or NONE for"
                                    + " PARQUET (default SNAPPY).");

    public static final ConfigOption<Integer> GZIP_LEVEL =
            ConfigOptions.key("compression.gzip.level")
                    .intType()
                    .defaultValue(GzipLevel.DEFAULT)
                    .withDescription(
                            "GZIP only: 1–9, the deflate level (1 fastest, 9 smallest). The"
                                    + " default 1 spends far less CPU per record than zlib's usual 6"
                                    + " (Sluice's default until 2026-12-02) for files about a fifth"
                                    + " larger; see docs/benchmarks.md.");

    public static final ConfigOption<String> CSV_COLUMNS =
            ConfigOptions.key("csv.columns")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "CSV only: the record fields written, in order, comma-separated."
                                    + " The staging output defaults to Warehouse 'columns'.");

    public static final ConfigOption<String> PARQUET_SCHEMA_FILE =
            ConfigOptions.key("parquet.schema.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "PARQUET only: an Avro schema (.avsc) file of the rows, the role of"
                                    + " the Glue table in Firehose's format conversion.");

    public static final ConfigOption<PrefixTimeSource> PREFIX_TIME =
            ConfigOptions.key("prefix.time")
                    .enumType(PrefixTimeSource.class)
                    .defaultValue(PrefixTimeSource.DEFAULT)
                    .withDescription(
                            "ARRIVAL (Kinesis arrival time, as Firehose) or EVENT: the time"
                                    + " !{timestamp:…} renders, in UTC.");

    public static final ConfigOption<Integer> PARTITIONS_MAX_OPEN =
            ConfigOptions.key("partitions.max.open")
                    .intType()
                    .defaultValue(OutputRowFunction.DEFAULT_MAX_OPEN_PARTITIONS)
                    .withDescription(
                            "At least 1: directories one writer subtask may open between two"
                                    + " checkpoints; records for more go to"
                                    + " errors/partitioning-failed/.");

    /** Further outputs only: defaults to the staging bucket ({@code S3 bucket}). */
    public static final ConfigOption<String> BUCKET =
            ConfigOptions.key("bucket")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Bucket of this output; default: the S3 group's bucket.");

    /** Further outputs only: required, so no two outputs share a directory by accident. */
    public static final ConfigOption<String> PREFIX =
            ConfigOptions.key("prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Key prefix of this output (required), with the same expressions as"
                                    + " the S3 group's prefix.");

    public static final ConfigOption<Integer> BUFFERING_SIZE_MB =
            ConfigOptions.key("buffering.size.mb")
                    .intType()
                    .defaultValue(BufferingHints.DEFAULT_SIZE_MB)
                    .withDescription("1–128: the largest one of this output's files grows.");

    /** The keys the staging group adds to {@link StagingOptions}' own. */
    public static final List<ConfigOption<?>> SHARED =
            List.of(
                    FORMAT,
                    COMPRESSION,
                    GZIP_LEVEL,
                    CSV_COLUMNS,
                    PARQUET_SCHEMA_FILE,
                    PREFIX_TIME,
                    PARTITIONS_MAX_OPEN);

    /**
     * Every key of an {@value #GROUP_PREFIX}{@code <name>} group of type S3 ({@link
     * FirehoseOutputOptions} has those of type FIREHOSE).
     */
    public static final List<ConfigOption<?>> ALL =
            List.of(
                    TYPE,
                    BUCKET,
                    PREFIX,
                    BUFFERING_SIZE_MB,
                    FORMAT,
                    COMPRESSION,
                    GZIP_LEVEL,
                    CSV_COLUMNS,
                    PARQUET_SCHEMA_FILE,
                    PREFIX_TIME,
                    PARTITIONS_MAX_OPEN);

    private OutputOptions() {}
}
