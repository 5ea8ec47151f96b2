package dev.sluice.operators.source;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.time.EventTimeExtractor;
import dev.sluice.operators.time.EventTimeFormat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceRecordDeserializationSchemaEventTimeTest {

    private final SluiceRecordDeserializationSchema schema =
            new SluiceRecordDeserializationSchema(
                    new EventTimeExtractor("event_timestamp", EventTimeFormat.AUTO));

    @Test
    void theEventTimeComesFromThePayloadWhenPresent() {
        SluiceRecord r = deserialize("{\"event_timestamp\":\"2024-05-01T12:00:00Z\"}", 99L);

        assertThat(r.getEventTimestamp()).isEqualTo(1_714_564_800_000L);
        assertThat(r.isEventTimeFromPayload()).isTrue();
    }

    @Test
    void aMissingOrUnparsableEventTimeFallsBackToArrivalTime() {
        assertThat(deserialize("{}", 99L).getEventTimestamp()).isEqualTo(99L);
        assertThat(deserialize("not json", 99L).isEventTimeFromPayload()).isFalse();
    }

    @Test
    void theRecordTypeIsAPojoWithoutKryo() {
        assertThat(schema.getProducedType()).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<SluiceRecord> serializer =
                schema.getProducedType().createSerializer(new SerializerConfigImpl());
        SluiceRecord r = deserialize("{}", 1L);
        r.setPartitionKeys(Map.of("k", "v"));
        assertThat(serializer.copy(r)).isEqualTo(r);
        assertThat(serializer.toString()).doesNotContain("Kryo");
    }

    private SluiceRecord deserialize(String payload, long arrival) {
        return schema.deserialize(
                payload.getBytes(StandardCharsets.UTF_8), "pk", "1", arrival, "s", "shardId-0");
    }
}
