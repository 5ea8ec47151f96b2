package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;

import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.InProgressFileWriter.PendingFileRecoverable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StagedCommittableSerializerTest {

    /** A pending file without path or size, as FileSink committables in these tests carry. */
    static PendingFileRecoverable pending() {
        return new PendingFileRecoverable() {
            @Override
            public org.apache.flink.core.fs.Path getPath() {
                return null;
            }

            @Override
            public long getSize() {
                return -1;
            }
        };
    }

    /** Stands in for FileSink's serializer: keeps the bucket id, at its own version 7. */
    private static final class BucketOnly
            implements SimpleVersionedSerializer<FileSinkCommittable> {
        int versionSeen = -1;

        @Override
        public int getVersion() {
            return 7;
        }

        @Override
        public byte[] serialize(FileSinkCommittable committable) {
            return committable.getBucketId().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public FileSinkCommittable deserialize(int version, byte[] serialized) {
            versionSeen = version;
            return new FileSinkCommittable(
                    new String(serialized, StandardCharsets.UTF_8), pending());
        }
    }

    @Test
    void roundTripsTheWatermarkAndKeepsTheFileSinkVersion() throws IOException {
        BucketOnly files = new BucketOnly();
        StagedCommittableSerializer serializer = new StagedCommittableSerializer(files);
        StagedCommittable staged =
                new StagedCommittable(
                        new FileSinkCommittable("2026/11/22/07", pending()), 1_763_794_800_000L);

        StagedCommittable back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(staged));

        assertThat(back.watermark()).isEqualTo(1_763_794_800_000L);
        assertThat(back.committable().getBucketId()).isEqualTo("2026/11/22/07");
        assertThat(files.versionSeen).isEqualTo(7);
    }

    @Test
    void aCommittableWithoutAWatermarkStaysWithout() throws IOException {
        StagedCommittableSerializer serializer = new StagedCommittableSerializer(new BucketOnly());
        StagedCommittable staged =
                new StagedCommittable(new FileSinkCommittable("b", pending()), null);
        assertThat(
                        serializer
                                .deserialize(serializer.getVersion(), serializer.serialize(staged))
                                .watermark())
                .isNull();
        assertThatThrownBy(() -> serializer.deserialize(serializer.getVersion() + 1, new byte[0]))
                .isInstanceOf(IOException.class);
    }

    @Test
    void roundTripsTheWriterSubtaskOfACommittable() throws IOException {
        StagedCommittableSerializer serializer = new StagedCommittableSerializer(new BucketOnly());
        StagedCommittable staged =
                new StagedCommittable(new FileSinkCommittable("b", pending()), 9L, 2, 3);

        StagedCommittable back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(staged));

        assertThat(back.committable().getBucketId()).isEqualTo("b");
        assertThat(back.watermark()).isEqualTo(9L);
        assertThat(back.subtask()).isEqualTo(2);
        assertThat(back.subtasks()).isEqualTo(3);
    }

    @Test
    void roundTripsAWatermarkCarrierWithoutAFileSinkCommittable() throws IOException {
        BucketOnly files = new BucketOnly();
        StagedCommittableSerializer serializer = new StagedCommittableSerializer(files);

        StagedCommittable back =
                serializer.deserialize(
                        serializer.getVersion(),
                        serializer.serialize(StagedCommittable.carrier(1_000L, 1, 2, 3)));

        assertThat(back).isEqualTo(StagedCommittable.carrier(1_000L, 1, 2, 3));
        assertThat(back.stagedFiles()).isEqualTo(3);
        assertThat(back.fileSinkCommittable()).isEmpty();
        assertThat(files.versionSeen).as("no FileSink bytes to read").isEqualTo(-1);
    }

    @Test
    void version1BytesStayReadable() throws IOException {
        // Pinned bytes: FileSink version 7, committable "b", watermark 5.
        byte[] v1 = {0, 0, 0, 7, 0, 0, 0, 1, 'b', 1, 0, 0, 0, 0, 0, 0, 0, 5};
        BucketOnly files = new BucketOnly();

        StagedCommittable back = new StagedCommittableSerializer(files).deserialize(1, v1);

        assertThat(back.committable().getBucketId()).isEqualTo("b");
        assertThat(files.versionSeen).isEqualTo(7);
        assertThat(back.watermark()).isEqualTo(5L);
        assertThat(back.subtask()).isEqualTo(StagedCommittable.UNKNOWN_SUBTASK);
        assertThat(back.subtasks()).isZero();
    }

    @Test
    void version2CarriersStayReadableWithoutAFileCount() throws IOException {
        // Pinned bytes: no committable, watermark 1000, writer subtask 1 of 2.
        byte[] v2 = HexFormat.of().parseHex("000100000000000003e80000000100000002");

        StagedCommittable back =
                new StagedCommittableSerializer(new BucketOnly()).deserialize(2, v2);

        assertThat(back.committable()).isNull();
        assertThat(back.watermark()).isEqualTo(1_000L);
        assertThat(back.subtask()).isEqualTo(1);
        assertThat(back.subtasks()).isEqualTo(2);
        assertThat(back.stagedFiles()).isEqualTo(StagedCommittable.UNKNOWN_FILE_COUNT);
    }

    @Test
    void roundTripsACarriersPositionsAndReadsVersion3CarriersWithoutThem() throws IOException {
        StagedCommittableSerializer serializer = new StagedCommittableSerializer(new BucketOnly());
        SourcePositions positions = new SourcePositions();
        positions.advance(new StreamShard("s", "a"), new SourcePosition("12", 1, 3L));
        StagedCommittable carrier = StagedCommittable.carrier(1_000L, 1, 2, 3, positions);
        assertThat(serializer.getVersion()).isEqualTo(4);

        assertThat(serializer.deserialize(4, serializer.serialize(carrier))).isEqualTo(carrier);

        // Pinned bytes: no committable, watermark 1000, writer subtask 1 of 2, 3 files.
        byte[] v3 = HexFormat.of().parseHex("000100000000000003e8000000010000000200000003");
        StagedCommittable back = serializer.deserialize(3, v3);
        assertThat(back).isEqualTo(StagedCommittable.carrier(1_000L, 1, 2, 3));
        assertThat(back.positions().isEmpty()).isTrue();
    }
}
