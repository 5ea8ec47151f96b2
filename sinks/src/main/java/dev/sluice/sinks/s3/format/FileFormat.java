package dev.sluice.sinks.s3.format;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.flink.api.common.serialization.BulkWriter;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One output's file format, complete: the format, its compression, and what the format needs to
 * convert a record (CSV's column list, Parquet's Avro schema). It gives the output its {@link
 * RecordEncoder}, its writer and its file name suffix, so nothing else in Sluice branches on the
 * format.
 *
 * <p>Validated when built, so a compression the format cannot use, a CSV output without columns or
 * a Parquet output without a valid record schema fails the job at start-up.
 */
public final class FileFormat implements Serializable {

    private static final long serialVersionUID = 1L;

    private final OutputFormat format;
    private final Compression compression;
    private final List<String> columns;
    private final String avroSchema;
    private final int gzipLevel;

    private FileFormat(
            OutputFormat format, Compression compression, List<String> columns, String avroSchema) {
        this(format, compression, columns, avroSchema, GzipLevel.DEFAULT);
    }

    private FileFormat(
            OutputFormat format,
            Compression compression,
            List<String> columns,
            String avroSchema,
            int gzipLevel) {
        this.format = checkNotNull(format, "format");
        this.gzipLevel = GzipLevel.check(gzipLevel);
        this.compression = compression == null ? format.defaultCompression() : compression;
        this.compression.checkSupportedBy(format);
        this.columns = columns == null ? List.of() : List.copyOf(columns);
        this.avroSchema = avroSchema;
        if (format == OutputFormat.CSV) {
            // Fails here, at job construction, for no columns, a blank name or a duplicate.
            new JsonCsvRow(this.columns, true);
        }
        if (format == OutputFormat.PARQUET) {
            parseRecordSchema(checkNotNull(avroSchema, "a Parquet output needs an Avro schema"));
        }
    }

    /** GZIP JSON lines, the default staging format. */
    public static FileFormat json() {
        return json(Compression.GZIP);
    }

    public static FileFormat json(Compression compression) {
        return new FileFormat(OutputFormat.JSON, compression, null, null);
    }

    /**
     * CSV of the given columns, in this order, from each record's top-level JSON keys (matched
     * ignoring case); see {@link JsonCsvRow} for values and the NULL convention.
     *
     * @param compression GZIP (the default, for null) or NONE
     * @throws IllegalArgumentException for no columns, a blank name, or a name given twice
     *     (ignoring case)
     */
    public static FileFormat csv(List<String> columns, Compression compression) {
        return new FileFormat(
                OutputFormat.CSV, compression, checkNotNull(columns, "columns"), null);
    }

    /**
     * Parquet of an Avro record schema (Firehose's record format conversion, with the schema in the
     * Glue table's role); see {@link JsonToAvro} for how JSON values are converted.
     *
     * @param avroSchemaJson the schema, e.g. from {@link #readAvroSchema(Path)}
     * @param compression SNAPPY (the default, for null), ZSTD or NONE
     * @throws IllegalArgumentException if the schema is invalid or not a record
     */
    public static FileFormat parquet(String avroSchemaJson, Compression compression) {
        return new FileFormat(OutputFormat.PARQUET, compression, null, avroSchemaJson);
    }

    /**
     * Reads an Avro schema file ({@code .avsc}) for {@link #parquet}, checking that it parses and
     * is a record, so a wrong path or schema fails the job at start-up with a message saying which.
     *
     * @throws IllegalArgumentException if the file is missing or unreadable, or the schema is
     *     invalid or not a record
     */
    public static String readAvroSchema(Path file) {
        checkNotNull(file, "file");
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Avro schema file " + file + " does not exist", e);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(
                    "cannot read Avro schema file " + file + ": " + e.getMessage(), e);
        }
        try {
            parseRecordSchema(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Avro schema file " + file + ": " + e.getMessage(), e);
        }
        return json;
    }

    private static Schema parseRecordSchema(String json) {
        Schema schema;
        try {
            schema = new Schema.Parser().parse(json);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException("not a valid Avro schema: " + e.getMessage(), e);
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "a Parquet schema must be an Avro record (\"type\": \"record\"), not "
                            + schema.getType().getName());
        }
        return schema;
    }

    /**
     * This format with GZIP files deflated at {@code level} (default {@link GzipLevel#DEFAULT}).
     *
     * @throws IllegalArgumentException outside 1–9, or if the files are not GZIP
     */
    public FileFormat withGzipLevel(int level) {
        GzipLevel.check(level);
        if (level != GzipLevel.DEFAULT && compression != Compression.GZIP) {
            throw new IllegalArgumentException(
                    "a GZIP level applies only to GZIP files, and this output's are " + this);
        }
        return new FileFormat(format, compression, columns, avroSchema, level);
    }

    public OutputFormat format() {
        return format;
    }

    public Compression compression() {
        return compression;
    }

    /** The deflate level of GZIP files, 1–9. */
    public int gzipLevel() {
        return gzipLevel;
    }

    /** CSV's columns in file order; empty for other formats. */
    public List<String> columns() {
        return columns;
    }

    /** Parquet's Avro schema as JSON; null for other formats. */
    public String avroSchema() {
        return avroSchema;
    }

    public RecordEncoder encoder() {
        switch (format) {
            case JSON:
                return new JsonLineEncoder();
            case CSV:
                return new CsvEncoder(columns);
            case PARQUET:
                return new AvroRecordEncoder(avroSchema);
            default:
                throw new IllegalStateException("no encoder for " + format);
        }
    }

    public BulkWriter.Factory<StagedRow> writerFactory() {
        switch (format) {
            case JSON:
            case CSV:
                return TextLinesWriterFactory.forRows(compression, gzipLevel);
            case PARQUET:
                return new ParquetAvroWriterFactory(avroSchema, compression);
            default:
                throw new IllegalStateException("no writer for " + format);
        }
    }

    /** e.g. {@code .json.gz}, {@code .csv}, {@code .parquet} */
    public String fileSuffix() {
        return "." + format.extension() + (compression == Compression.GZIP ? ".gz" : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileFormat)) {
            return false;
        }
        FileFormat that = (FileFormat) o;
        return format == that.format
                && compression == that.compression
                && gzipLevel == that.gzipLevel
                && columns.equals(that.columns)
                && Objects.equals(avroSchema, that.avroSchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, compression, gzipLevel, columns, avroSchema);
    }

    @Override
    public String toString() {
        return format
                + (compression == Compression.NONE ? "" : "+" + compression)
                + (gzipLevel == GzipLevel.DEFAULT ? "" : " level " + gzipLevel);
    }
}
