package dev.sluice.sinks.s3.format;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Writes Parquet files of an Avro schema with the output's codec, through flink-parquet's {@link
 * ParquetWriterFactory}: each row's bytes are the binary Avro datum {@link AvroRecordEncoder} made,
 * decoded here and handed to parquet-avro's writer.
 *
 * <p>Parquet keeps a file's current row group in memory until the file is finished, which happens
 * on every checkpoint and at the buffering size; so the buffering hints also bound this writer's
 * memory per open file.
 */
public final class ParquetAvroWriterFactory implements BulkWriter.Factory<StagedRow> {

    private static final long serialVersionUID = 1L;

    private final String schemaJson;
    private final ParquetWriterFactory<GenericRecord> parquet;

    /**
     * @param schemaJson an Avro record schema, the same one the rows were encoded with
     * @param compression SNAPPY, ZSTD or NONE
     */
    public ParquetAvroWriterFactory(String schemaJson, Compression compression) {
        this.schemaJson = checkNotNull(schemaJson, "schemaJson");
        checkArgument(
                compression != null && compression.supports(OutputFormat.PARQUET),
                "Parquet is written with SNAPPY, ZSTD or NONE, not %s",
                compression);
        this.parquet = new ParquetWriterFactory<>(builder(schemaJson, codec(compression)));
    }

    /** Parquet's name for the codec. */
    static CompressionCodecName codec(Compression compression) {
        switch (compression) {
            case SNAPPY:
                return CompressionCodecName.SNAPPY;
            case ZSTD:
                return CompressionCodecName.ZSTD;
            case NONE:
                return CompressionCodecName.UNCOMPRESSED;
            default:
                throw new IllegalArgumentException("Parquet cannot be written with " + compression);
        }
    }

    /** Like flink-parquet's {@code AvroParquetWriters.forGenericRecord}, with a codec. */
    private static ParquetBuilder<GenericRecord> builder(
            String schemaJson, CompressionCodecName codec) {
        return file ->
                AvroParquetWriter.<GenericRecord>builder(file)
                        .withSchema(new Schema.Parser().parse(schemaJson))
                        .withDataModel(GenericData.get())
                        .withCompressionCodec(codec)
                        .build();
    }

    @Override
    public BulkWriter<StagedRow> create(FSDataOutputStream out) throws IOException {
        return new Writer(new Schema.Parser().parse(schemaJson), parquet.create(out));
    }

    private static final class Writer implements BulkWriter<StagedRow> {

        private final GenericDatumReader<GenericRecord> reader;
        private final BulkWriter<GenericRecord> parquet;
        private BinaryDecoder decoder;
        private GenericRecord reuse;

        Writer(Schema schema, BulkWriter<GenericRecord> parquet) {
            this.reader = new GenericDatumReader<>(schema, schema, GenericData.get());
            this.parquet = parquet;
        }

        @Override
        public void addElement(StagedRow row) throws IOException {
            decoder = DecoderFactory.get().binaryDecoder(row.getBytes(), decoder);
            // Parquet copies the values into its column buffers, so one record can be reused.
            reuse = reader.read(reuse, decoder);
            parquet.addElement(reuse);
        }

        @Override
        public void flush() throws IOException {
            parquet.flush();
        }

        @Override
        public void finish() throws IOException {
            parquet.finish();
        }
    }
}
