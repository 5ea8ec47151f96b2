package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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

    @Test
    void theCarrierHoldsTheHighestPositionPerShardWrittenInTheCheckpointAndNoEarlierOnes()
            throws Exception {
        FakeFileWriter files = new FakeFileWriter();
        // Rows are "shard:sequence number:sub-sequence number" here.
        RowPositions<String> positionOf =
                (row, positions) -> {
                    String[] parts = row.split(":");
                    positions.advance(
                            new StreamShard("s", parts[0]),
                            new SourcePosition(parts[1], Long.parseLong(parts[2]), 1L));
                };
        WatermarkRecordingWriter<String> writer =
                new WatermarkRecordingWriter<>(files, 1, 2, positionOf);
        writer.write("a:99:0", null);
        writer.write("a:100:0", null);
        writer.write("b:7:0", null);
        writer.write("b:7:1", null);

        SourcePositions first = carrierOf(writer.prepareCommit()).positions();
        writer.write("b:8:0", null);
        SourcePositions second = carrierOf(writer.prepareCommit()).positions();

        assertThat(first.asMap())
                .containsExactly(
                        Map.entry(new StreamShard("s", "a"), new SourcePosition("100", 0, 1L)),
                        Map.entry(new StreamShard("s", "b"), new SourcePosition("7", 1, 1L)));
        assertThat(second.asMap())
                .containsExactly(
                        Map.entry(new StreamShard("s", "b"), new SourcePosition("8", 0, 1L)));
        assertThat(carrierOf(writer.prepareCommit()).positions().isEmpty()).isTrue();
    }

    private static StagedCommittable carrierOf(Collection<StagedCommittable> committables) {
        return committables.stream().filter(c -> c.committable() == null).findFirst().orElseThrow();
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
