package dev.sluice.operators.source;

import dev.sluice.localstack.KplAggregatedRecord;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The KPL aggregation reader and the FLIP-27 schema that uses it. */
class KplAggregationTest {

    private static final List<ProducerRecord> USERS =
            List.of(
                    ProducerRecord.of("user-1", "{\"event_id\":\"a\"}"),
                    ProducerRecord.of("user-2", "{\"event_id\":\"b\"}"),
                    ProducerRecord.of("user-1", "{\"event_id\":\"c\"}"));

    @Test
    void everyUserRecordComesOutInOrderWithItsOwnPartitionKey() {
        byte[] aggregated = KplAggregatedRecord.of(USERS).data();

        List<KplAggregation.UserRecord> users = KplAggregation.deaggregate(aggregated);

        assertThat(users)
                .extracting(KplAggregation.UserRecord::partitionKey)
                .containsExactly("user-1", "user-2", "user-1");
        assertThat(users)
                .extracting(u -> new String(u.data(), StandardCharsets.UTF_8))
                .containsExactly(
                        "{\"event_id\":\"a\"}", "{\"event_id\":\"b\"}", "{\"event_id\":\"c\"}");
    }

    @Test
    void aPlainRecordIsNotAggregated() {
        assertThat(KplAggregation.deaggregate("{\"event_id\":\"a\"}".getBytes())).isEmpty();
        assertThat(KplAggregation.deaggregate(new byte[0])).isEmpty();
    }

    @Test
    void aRecordWhoseDigestDoesNotMatchIsDeliveredWhole() {
        byte[] aggregated = KplAggregatedRecord.of(USERS).data();
        aggregated[aggregated.length - 1] ^= 1;

        assertThat(KplAggregation.deaggregate(aggregated)).isEmpty();
    }

    @Test
    void aMalformedProtobufWithAMatchingDigestIsDeliveredWhole() throws Exception {
        byte[] protobuf = {0x0A, 0x7F, 0x01}; // field 1, length 127, only one byte follows
        byte[] digest = MessageDigest.getInstance("MD5").digest(protobuf);
        byte[] record = new byte[4 + protobuf.length + digest.length];
        System.arraycopy(KplAggregation.MAGIC, 0, record, 0, 4);
        System.arraycopy(protobuf, 0, record, 4, protobuf.length);
        System.arraycopy(digest, 0, record, 4 + protobuf.length, digest.length);

        assertThat(KplAggregation.deaggregate(record)).isEmpty();
    }

    @Test
    void theFlip27SchemaEmitsOneSluiceRecordPerUserRecordWithTheSharedSequenceNumber() {
        Instant arrival = Instant.parse("2026-12-01T04:00:00.123Z");
        Record kinesis =
                Record.builder()
                        .data(SdkBytes.fromByteArray(KplAggregatedRecord.of(USERS).data()))
                        .partitionKey("user-1")
                        .sequenceNumber("49590338271490256608559692538361571095921575989136588898")
                        .approximateArrivalTimestamp(arrival)
                        .build();
        List<SluiceRecord> out = new ArrayList<>();

        new SluiceKinesisStreamsDeserializationSchema(null, "user-events")
                .deserialize(
                        kinesis,
                        "arn:aws:kinesis:us-east-1:000000000000:stream/user-events",
                        "shardId-000000000001",
                        collector(out));

        assertThat(out).hasSize(3);
        assertThat(out)
                .extracting(SluiceRecord::getPartitionKey)
                .containsExactly("user-1", "user-2", "user-1");
        assertThat(out)
                .allSatisfy(
                        r -> {
                            assertThat(r.getStream()).isEqualTo("user-events");
                            assertThat(r.getShardId()).isEqualTo("shardId-000000000001");
                            assertThat(r.getSequenceNumber()).isEqualTo(kinesis.sequenceNumber());
                            assertThat(r.getApproximateArrivalTimestamp())
                                    .isEqualTo(arrival.toEpochMilli());
                        });
    }

    private static Collector<SluiceRecord> collector(List<SluiceRecord> out) {
        return new Collector<>() {
            @Override
            public void collect(SluiceRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
