package dev.sluice.operators.source;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceRecordDeserializationSchemaTest {

    private final SluiceRecordDeserializationSchema schema =
            new SluiceRecordDeserializationSchema();

    @Test
    void keepsThePayloadBytesAndEveryKinesisCoordinate() {
        byte[] notJson = {(byte) 0xff, (byte) 0xfe, 0, '{'};
        SluiceRecord record =
                schema.deserialize(
                        notJson,
                        "user-7",
                        "49590338271490256608559692538361571095921575989136588898",
                        1_700_000_000_123L,
                        "user-events",
                        "shardId-000000000003");

        assertThat(record.getData()).containsExactly(notJson);
        assertThat(record.getPartitionKey()).isEqualTo("user-7");
        assertThat(record.getSequenceNumber())
                .isEqualTo("49590338271490256608559692538361571095921575989136588898");
        assertThat(record.getApproximateArrivalTimestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(record.getStream()).isEqualTo("user-events");
        assertThat(record.getShardId()).isEqualTo("shardId-000000000003");
    }

    @Test
    void recordsAreSerializedAsPojosNotKryo() throws Exception {
        TypeInformation<SluiceRecord> type = schema.getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);

        TypeSerializer<SluiceRecord> serializer = type.createSerializer(new ExecutionConfig());
        SluiceRecord original =
                new SluiceRecord(new byte[] {1, 2, 3}, "s", "shardId-0", "pk", "42", 7L);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(original, out);
        SluiceRecord copy =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(original);
    }

    @Test
    void toStringNeverShowsThePayload() {
        SluiceRecord record =
                new SluiceRecord(
                        "{\"ssn\":\"123-45-6789\"}".getBytes(), "s", "shard", "pk", "1", 0L);
        assertThat(record.toString()).doesNotContain("123-45-6789").contains("bytes=");
    }
}
