package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StagedRowSerializer} carries every field of a row, its source position included, across
 * the unchained edge into the staging writer; and Flink picks it for {@link StagedRow}.
 */
class StagedRowSerializerTest {

    private static final StagedRowSerializer SERIALIZER = StagedRowSerializer.INSTANCE;

    private static StagedRow positioned(String bucket, String line, String sequence, long sub) {
        SluiceRecord record =
                new SluiceRecord(
                        line.getBytes(StandardCharsets.UTF_8),
                        "clicks",
                        "shardId-000000000003",
                        "user-7",
                        sequence,
                        1_764_000_000_123L);
        record.setSubSequenceNumber(sub);
        return new StagedRow(bucket, line.getBytes(StandardCharsets.UTF_8)).at(record);
    }

    /** Rows as the writer sees them: positioned, unpositioned (a CLI self-test's), empty. */
    private static List<StagedRow> rows() {
        StagedRow nulls = new StagedRow();
        return List.of(
                positioned(
                        "2026/12/02/15/",
                        "{\"event_id\":\"é€😀\"}",
                        "49590338271490256608559692538361571095921575989136588898",
                        0),
                positioned("", "", "1", Long.MAX_VALUE),
                new StagedRow("a/b/", new byte[] {0, (byte) 0xff, 10}),
                nulls);
    }

    private static void assertSameFields(StagedRow actual, StagedRow expected) {
        assertThat(actual.getBucket()).isEqualTo(expected.getBucket());
        assertThat(actual.getBytes()).isEqualTo(expected.getBytes());
        assertThat(actual.getStream()).isEqualTo(expected.getStream());
        assertThat(actual.getShardId()).isEqualTo(expected.getShardId());
        assertThat(actual.getSequenceNumber()).isEqualTo(expected.getSequenceNumber());
        assertThat(actual.getSubSequenceNumber()).isEqualTo(expected.getSubSequenceNumber());
        assertThat(actual.getArrivalMillis()).isEqualTo(expected.getArrivalMillis());
    }

    @Test
    void everyFieldSurvivesARoundTripOneAfterAnother() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (StagedRow row : rows()) {
            SERIALIZER.serialize(row, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        StagedRow reused = SERIALIZER.createInstance();
        for (StagedRow row : rows()) {
            // Alternate the fresh and the reusing path: a reused row must not keep old fields.
            StagedRow read =
                    row.getBytes() == null
                            ? SERIALIZER.deserialize(reused, in)
                            : SERIALIZER.deserialize(in);
            assertSameFields(read, row);
            SERIALIZER.deserialize(reused, new DataInputDeserializer(bytesOf(row)));
            assertSameFields(reused, row);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void theRowsPositionIsReadBackAsTheWriterUsesIt() throws IOException {
        StagedRow row = rows().get(0);
        StagedRow read = SERIALIZER.deserialize(new DataInputDeserializer(bytesOf(row)));
        assertThat(read.shard()).isEqualTo(row.shard()).isPresent();
        assertThat(read.position()).isEqualTo(row.position());
        assertThat(
                        SERIALIZER
                                .deserialize(new DataInputDeserializer(bytesOf(rows().get(2))))
                                .shard())
                .isEmpty();
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws IOException {
        for (StagedRow row : rows()) {
            byte[] serialized = bytesOf(row);
            DataOutputSerializer copied = new DataOutputSerializer(64);
            SERIALIZER.copy(new DataInputDeserializer(serialized), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(serialized);
        }
    }

    @Test
    void aCopyHasItsOwnBytes() {
        for (StagedRow row : rows()) {
            StagedRow copy = SERIALIZER.copy(row);
            assertSameFields(copy, row);
            if (row.getBytes() != null && row.getBytes().length > 0) {
                assertThat(copy.getBytes()).isNotSameAs(row.getBytes());
            }
            assertSameFields(SERIALIZER.copy(row, new StagedRow("old/", new byte[] {1})), row);
        }
    }

    @Test
    void flinkUsesThisSerializerForStagedRows() {
        TypeInformation<StagedRow> type = TypeInformation.of(StagedRow.class);
        assertThat(type).isInstanceOf(StagedRowTypeInfo.class).isEqualTo(StagedRow.TYPE_INFO);
        assertThat(type.createSerializer(new SerializerConfigImpl())).isSameAs(SERIALIZER);
    }

    @Test
    void itsSnapshotRestoresAndIsCompatibleAsIs() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<StagedRow> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(
                        SERIALIZER
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
    }

    private static byte[] bytesOf(StagedRow row) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(row, out);
        return out.getCopyOfBuffer();
    }
}
