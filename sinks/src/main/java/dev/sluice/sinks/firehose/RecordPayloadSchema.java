package dev.sluice.sinks.firehose;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.serialization.SerializationSchema;

import java.util.Arrays;

/**
 * The bytes a Firehose record carries: the transformed record's payload, with a newline appended
 * unless told otherwise.
 *
 * <p>Firehose's S3 destination concatenates the records of a buffer without any delimiter, so JSON
 * records sent as they are end up as one unreadable line. Appending {@code \n} is what AWS advises
 * producers to do and gives the same JSON lines as Sluice's own S3 outputs. A payload that already
 * ends with a newline gets no second one.
 */
public final class RecordPayloadSchema implements SerializationSchema<SluiceRecord> {

    private static final long serialVersionUID = 1L;

    private final boolean appendNewline;

    public RecordPayloadSchema(boolean appendNewline) {
        this.appendNewline = appendNewline;
    }

    @Override
    public byte[] serialize(SluiceRecord record) {
        byte[] data = record.getData();
        if (!appendNewline || (data.length > 0 && data[data.length - 1] == '\n')) {
            return data;
        }
        byte[] line = Arrays.copyOf(data, data.length + 1);
        line[data.length] = '\n';
        return line;
    }
}
