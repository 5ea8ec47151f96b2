package dev.sluice.sinks.s3.format;

import dev.sluice.sinks.s3.StagedRow;

import org.apache.flink.api.common.serialization.BulkWriter;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One output's file format, complete: the format, its compression, and what the format needs to
 * convert a record (CSV's column list, Parquet's Avro schema). It gives the output its
 * {@link RecordEncoder}, its writer and its file name suffix, so nothing else in Sluice branches
 * on the format.
 *
 * <p>Validated when built, so a compression the format cannot use, or a CSV output without
 * columns, fails the job at start-up.
 */
public final class FileFormat implements Serializable {

    private static final long serialVersionUID = 1L;

    private final OutputFormat format;
    private final Compression compression;
    private final List<String> columns;
    private final String avroSchema;

    private FileFormat(
            OutputFormat format, Compression compression, List<String> columns, String avroSchema) {
        this.format = checkNotNull(format, "format");
        this.compression = compression == null ? format.defaultCompression() : compression;
        this.compression.checkSupportedBy(format);
        this.columns = columns == null ? List.of() : List.copyOf(columns);
        this.avroSchema = avroSchema;
    }

    /** GZIP JSON lines, the default staging format. */
    public static FileFormat json() {
        return json(Compression.GZIP);
    }

    public static FileFormat json(Compression compression) {
        return new FileFormat(OutputFormat.JSON, compression, null, null);
    }

    /** CSV of the given record fields, in order. */
    public static FileFormat csv(List<String> columns, Compression compression) {
        return new FileFormat(OutputFormat.CSV, compression, columns, null);
    }

    /** Parquet of the given Avro schema (JSON). */
    public static FileFormat parquet(String avroSchemaJson, Compression compression) {
        return new FileFormat(OutputFormat.PARQUET, compression, null, avroSchemaJson);
    }

    public OutputFormat format() {
        return format;
    }

    public Compression compression() {
        return compression;
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
            default:
                throw new UnsupportedOperationException(format + " is not implemented yet");
        }
    }

    public BulkWriter.Factory<StagedRow> writerFactory() {
        switch (format) {
            case JSON:
            case CSV:
                return new TextLinesWriterFactory(compression);
            default:
                throw new UnsupportedOperationException(format + " is not implemented yet");
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
                && columns.equals(that.columns)
                && Objects.equals(avroSchema, that.avroSchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, compression, columns, avroSchema);
    }

    @Override
    public String toString() {
        return format + (compression == Compression.NONE ? "" : "+" + compression);
    }
}
