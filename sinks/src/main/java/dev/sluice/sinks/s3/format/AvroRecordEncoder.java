package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.JsonPayloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Parquet's half of record format conversion: turns a JSON object into a binary Avro datum of the
 * output's schema, which {@link ParquetAvroWriterFactory} then writes as a Parquet row.
 *
 * <p>Converting here, before the sink, is what lets a record that does not fit the schema go to
 * {@code errors/format-conversion-failed/} instead of failing the Parquet writer. The datum is
 * binary Avro, so rows between the two stay one flat {@code byte[]} and the writer only decodes.
 * How each JSON value becomes an Avro value is {@link JsonToAvro}'s job.
 */
public final class AvroRecordEncoder implements RecordEncoder {

    private static final long serialVersionUID = 1L;

    /** Most records fit, so the buffer rarely grows. */
    private static final int INITIAL_BUFFER_BYTES = 1024;

    private final String schemaJson;

    private transient JsonToAvro converter;
    private transient ObjectMapper mapper;
    private transient GenericDatumWriter<GenericRecord> writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;

    /**
     * @param schemaJson an Avro record schema; see {@link FileFormat#readAvroSchema} for how one is
     *     read and checked
     */
    public AvroRecordEncoder(String schemaJson) {
        this.schemaJson = schemaJson;
        init();
    }

    @Override
    public byte[] encode(byte[] payload) throws FormatConversionException {
        if (converter == null) {
            init();
        }
        JsonNode json;
        try {
            json = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new FormatConversionException(JsonPayloads.invalidJson(e));
        } catch (IOException e) {
            throw new FormatConversionException("cannot read the record: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new FormatConversionException(
                    "expected a JSON object, found " + JsonToAvro.describe(json));
        }
        GenericRecord record = converter.record(json);
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // The converter checked every value against the schema, so this is a bug, not data.
            throw new IllegalStateException("a converted record did not fit its own schema", e);
        }
        return buffer.toByteArray();
    }

    private void init() {
        Schema schema = new Schema.Parser().parse(schemaJson);
        converter = new JsonToAvro(schema);
        mapper =
                JsonPayloads.mapper()
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .build();
        writer = new GenericDatumWriter<>(schema, GenericData.get());
        buffer = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        encoder = null;
    }
}
