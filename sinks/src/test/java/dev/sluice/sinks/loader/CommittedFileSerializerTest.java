package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;
import dev.sluice.sinks.warehouse.StagedFile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommittedFileSerializerTest {

    private final CommittedFileSerializer serializer = new CommittedFileSerializer();

    @Test
    void roundTripsAFileAndItsCheckpoint() throws IOException {
        CommittedFile committed =
                new CommittedFile(42, new StagedFile("s3://bucket/p/2026/11/22/05/a.json.gz", 123));
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(committed)))
                .isEqualTo(committed);
    }

    @Test
    void roundTripsACommittableWithoutAFile() throws IOException {
        CommittedFile cleanupOnly = new CommittedFile(7, null);
        assertThat(
                        serializer.deserialize(
                                serializer.getVersion(), serializer.serialize(cleanupOnly)))
                .isEqualTo(cleanupOnly);
    }

    @Test
    void version1BytesStayReadable() throws IOException {
        // Pinned bytes: a change of layout must bump the version, not break old savepoints.
        byte[] v1 = {
            0, 0, 0, 0, 0, 0, 0, 5, 1, 0, 6, 's', '3', ':', '/', '/', 'b', 0, 0, 0, 0, 0, 0, 0, 9
        };
        assertThat(serializer.deserialize(1, v1))
                .isEqualTo(new CommittedFile(5, new StagedFile("s3://b", 9)));
    }

    @Test
    void roundTripsTheJobIdTheWatermarkAndTheWriterSubtask() throws IOException {
        CommittedFile committed =
                new CommittedFile(
                        3,
                        new StagedFile("s3://b/k.json.gz", 10),
                        "a1b2c3",
                        1_763_791_200_000L,
                        1,
                        4);
        CommittedFile back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(committed));
        assertThat(back).isEqualTo(committed);
        assertThat(back.writerSubtask()).isEqualTo(1);
        assertThat(back.writerSubtasks()).isEqualTo(4);
    }

    @Test
    void roundTripsAWatermarkCarrierAndTheFilesItCounts() throws IOException {
        CommittedFile carrier = CommittedFile.carrier(8, "job", 1_000L, 0, 2, 5);
        CommittedFile back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(carrier));
        assertThat(back).isEqualTo(carrier);
        assertThat(back.stagedFiles()).isEqualTo(5);
        assertThat(back.isCountingCarrier()).isTrue();
    }

    @Test
    void roundTripsTheSourcePositionsACarrierStaged() throws IOException {
        SourcePositions positions = new SourcePositions();
        positions.advance(
                new StreamShard("events", "shardId-000000000001"),
                new SourcePosition(
                        "49590338271490256608559692538361571095921575989136588802", 2, 1_000L));
        CommittedFile carrier = CommittedFile.carrier(8, "job", 1_000L, 0, 2, 5, positions);
        assertThat(serializer.getVersion()).isEqualTo(5);

        CommittedFile back = serializer.deserialize(5, serializer.serialize(carrier));

        assertThat(back).isEqualTo(carrier);
        assertThat(back.positions()).isEqualTo(positions);
    }

    @Test
    void version4CarriersStayReadableWithoutPositions() throws IOException {
        // Pinned bytes: checkpoint 8, no file, job id "job", watermark 1000, writer subtask 0 of 2,
        // 5 files staged.
        byte[] v4 =
                HexFormat.of()
                        .parseHex(
                                "0000000000000008000100036a6f620100000000000003e8"
                                        + "000000000000000200000005");
        CommittedFile back = serializer.deserialize(4, v4);
        assertThat(back).isEqualTo(CommittedFile.carrier(8, "job", 1_000L, 0, 2, 5));
        assertThat(back.positions().isEmpty()).isTrue();
    }

    @Test
    void version3CarriersStayReadableWithoutAFileCount() throws IOException {
        // Pinned bytes: checkpoint 8, no file, job id "job", watermark 1000, writer subtask 0 of 2.
        byte[] v3 =
                HexFormat.of()
                        .parseHex(
                                "0000000000000008000100036a6f620100000000000003e80000000000000002");
        CommittedFile back = serializer.deserialize(3, v3);
        assertThat(back).isEqualTo(new CommittedFile(8, null, "job", 1_000L, 0, 2));
        assertThat(back.stagedFiles()).isEqualTo(-1);
        assertThat(back.isCountingCarrier()).isFalse();
    }

    @Test
    void version2BytesStayReadableWithAnUnknownWriterSubtask() throws IOException {
        // checkpoint 5, no file, job id "j", watermark 7
        byte[] v2 = {0, 0, 0, 0, 0, 0, 0, 5, 0, 1, 0, 1, 'j', 1, 0, 0, 0, 0, 0, 0, 0, 7};
        CommittedFile back = serializer.deserialize(2, v2);
        assertThat(back).isEqualTo(new CommittedFile(5, null, "j", 7L));
        assertThat(back.writerSubtask()).isEqualTo(-1);
        assertThat(back.writerSubtasks()).isZero();
    }

    @Test
    void rejectsAnUnknownVersion() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }
}
