package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import org.junit.jupiter.api.Test;

import java.io.IOException;

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
        byte[] v1 = {0, 0, 0, 0, 0, 0, 0, 5, 1, 0, 6, 's', '3', ':', '/', '/', 'b', 0, 0, 0, 0, 0,
            0, 0, 9};
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
        assertThat(serializer.getVersion()).isEqualTo(3);
        CommittedFile back = serializer.deserialize(3, serializer.serialize(committed));
        assertThat(back).isEqualTo(committed);
        assertThat(back.writerSubtask()).isEqualTo(1);
        assertThat(back.writerSubtasks()).isEqualTo(4);
    }

    @Test
    void roundTripsAWatermarkCarrier() throws IOException {
        CommittedFile carrier = new CommittedFile(8, null, "job", 1_000L, 0, 2);
        assertThat(serializer.deserialize(3, serializer.serialize(carrier))).isEqualTo(carrier);
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
