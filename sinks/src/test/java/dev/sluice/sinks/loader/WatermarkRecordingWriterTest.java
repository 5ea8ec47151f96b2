package dev.sluice.sinks.loader;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static dev.sluice.sinks.loader.StagedCommittableSerializerTest.pending;
import static org.assertj.core.api.Assertions.assertThat;

class WatermarkRecordingWriterTest {

    @Test
    void aSubtaskWithoutFilesStillHandsOverItsWatermark() throws Exception {
        FakeFileWriter files = new FakeFileWriter();
        WatermarkRecordingWriter<String> writer = new WatermarkRecordingWriter<>(files, 1, 2);
        writer.writeWatermark(new Watermark(4_000L));

        Collection<StagedCommittable> committables = writer.prepareCommit();

        assertThat(committables).containsExactly(StagedCommittable.carrier(4_000L, 1, 2, 0));
    }

    @Test
    void filesCarryTheWatermarkAtTheCutAndACarrierFollowsCountingThem() throws Exception {
        FakeFileWriter files = new FakeFileWriter();
        WatermarkRecordingWriter<String> writer = new WatermarkRecordingWriter<>(files, 0, 2);
        writer.writeWatermark(new Watermark(Long.MIN_VALUE));
        FileSinkCommittable file = new FileSinkCommittable("bucket", pending());
        files.next.add(file);

        List<StagedCommittable> committables = new ArrayList<>(writer.prepareCommit());
        writer.writeWatermark(new Watermark(9_000L));

        assertThat(committables)
                .containsExactly(
                        new StagedCommittable(file, null, 0, 2),
                        StagedCommittable.carrier(null, 0, 2, 1));
        assertThat(writer.prepareCommit())
                .containsExactly(StagedCommittable.carrier(9_000L, 0, 2, 0));
    }

    /** Hands over whatever the test put in {@link #next} at the next prepareCommit. */
    private static final class FakeFileWriter
            implements StatefulSinkWriter<String, FileWriterBucketState>,
                    CommittingSinkWriter<String, FileSinkCommittable> {
        final List<FileSinkCommittable> next = new ArrayList<>();

        @Override
        public void write(String element, Context context) {}

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<FileSinkCommittable> prepareCommit() {
            List<FileSinkCommittable> handed = new ArrayList<>(next);
            next.clear();
            return handed;
        }

        @Override
        public List<FileWriterBucketState> snapshotState(long checkpointId) {
            return List.of();
        }

        @Override
        public void close() {}
    }
}
