package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;
import dev.sluice.sinks.warehouse.StagedFile;

import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PendingLoadsTest {

    private static final long MB = 1024 * 1024;

    private final PendingLoads pending = new PendingLoads();

    /** One writer and committer subtask: the files, then the carrier, with this watermark. */
    private void checkpoint(long id, Long watermark, StagedFile... files) {
        pending.add(new CommittableSummary<>(0, 1, id, files.length + 1, 0, 0));
        for (StagedFile file : files) {
            pending.add(
                    new CommittableWithLineage<>(
                            new CommittedFile(id, file, "job", watermark, 0, 1), id, 0));
        }
        pending.add(
                new CommittableWithLineage<>(
                        CommittedFile.carrier(id, "job", watermark, 0, 1, files.length), id, 0));
    }

    private static StagedFile file(String name, long bytes) {
        return new StagedFile("s3://b/" + name, bytes);
    }

    @Test
    void theSizeLimitCutsALoadBetweenFilesAndOnlyAWholeCheckpointGivesTheWatermark() {
        checkpoint(1, 1_000L, file("a", 600 * 1024), file("b", 300 * 1024));
        checkpoint(2, 2_000L, file("c", 600 * 1024));
        MergeLimits oneMb = MergeLimits.ofMegabytes(100, 1);

        LoadBatch first = pending.nextBatch(oneMb);
        assertThat(first.files())
                .extracting(StagedFile::url)
                .containsExactly("s3://b/a", "s3://b/b");
        assertThat(first.metadata().checkpointId()).isEqualTo(1);
        assertThat(first.metadata().eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(1_000));
        pending.loaded(first);

        LoadBatch second = pending.nextBatch(oneMb);
        assertThat(second.files()).extracting(StagedFile::url).containsExactly("s3://b/c");
        assertThat(second.metadata().checkpointId()).isEqualTo(2);
        pending.loaded(second);
        assertThat(pending.nextBatch(oneMb)).isNull();
        assertThat(pending.checkpoints()).isEmpty();
    }

    @Test
    void aCheckpointSplitAcrossLoadsRecordsItsWatermarkOnlyWithItsLastFiles() {
        checkpoint(1, 1_000L, file("a", 1), file("b", 1), file("c", 1));
        MergeLimits twoFiles = MergeLimits.ofMegabytes(2, 1);

        LoadBatch first = pending.nextBatch(twoFiles);
        assertThat(first.files()).hasSize(2);
        assertThat(first.metadata().checkpointId()).isEqualTo(1);
        assertThat(first.metadata().eventTimeWatermark()).isNull();
        pending.loaded(first);
        assertThat(pending.pendingFiles()).isEqualTo(1);

        LoadBatch second = pending.nextBatch(twoFiles);
        assertThat(second.files()).extracting(StagedFile::url).containsExactly("s3://b/c");
        assertThat(second.metadata().eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    /** Two writer subtasks: one file each, and carriers with these positions of shard "a". */
    private void checkpointOfTwoWriters(long id, String seq0, String seq1) {
        for (int w = 0; w < 2; w++) {
            pending.add(
                    new CommittableWithLineage<>(
                            new CommittedFile(id, file(id + "-" + w, 1), "job", null, w, 2),
                            id,
                            w));
            SourcePositions staged = new SourcePositions();
            staged.advance(SHARD_A, new SourcePosition(w == 0 ? seq0 : seq1, 0, id));
            pending.add(
                    new CommittableWithLineage<>(
                            CommittedFile.carrier(id, "job", null, w, 2, 1, staged), id, w));
        }
    }

    private static final StreamShard SHARD_A = new StreamShard("s", "a");

    @Test
    void aLoadClaimsTheHighestPositionOfTheCheckpointsItLoadsAndNeverSplitsOneWithPositions() {
        checkpointOfTwoWriters(1, "100", "99");
        checkpointOfTwoWriters(2, "250", "300");
        MergeLimits threeFiles = MergeLimits.ofMegabytes(3, 1);

        LoadBatch first = pending.nextBatch(threeFiles);
        assertThat(first.filesByCheckpoint().keySet())
                .as("checkpoint 2 does not fit whole, so it waits for the next load")
                .containsExactly(1L);
        assertThat(first.metadata().positions().asMap())
                .as("the higher of 100 and 99, as numbers")
                .containsExactly(Map.entry(SHARD_A, new SourcePosition("100", 0, 1)));
        pending.loaded(first);

        LoadBatch second = pending.nextBatch(threeFiles);
        assertThat(second.files()).hasSize(2);
        assertThat(second.metadata().positions().asMap())
                .containsExactly(Map.entry(SHARD_A, new SourcePosition("300", 0, 2)));
    }

    @Test
    void aCheckpointWithPositionsLargerThanTheLimitsIsLoadedAloneAndWhole() {
        checkpointOfTwoWriters(1, "1", "2");
        checkpointOfTwoWriters(2, "3", "4");

        LoadBatch first = pending.nextBatch(MergeLimits.ofMegabytes(1, 1));

        assertThat(first.files()).hasSize(2);
        assertThat(first.filesByCheckpoint().keySet()).containsExactly(1L);
        assertThat(first.metadata().positions().asMap())
                .containsExactly(Map.entry(SHARD_A, new SourcePosition("2", 0, 1)));
    }

    @Test
    void aFileLargerThanTheSizeLimitIsLoadedAlone() {
        checkpoint(1, null, file("huge", 5 * MB), file("small", 1));
        MergeLimits oneMb = MergeLimits.ofMegabytes(100, 1);
        assertThat(pending.nextBatch(oneMb).files())
                .extracting(StagedFile::url)
                .containsExactly("s3://b/huge");
    }

    @Test
    void checkpointsWithoutFilesAreDroppedOrMergedIntoTheNextLoad() {
        checkpoint(1, 1_000L);
        checkpoint(2, 2_000L);
        assertThat(pending.nextBatch(MergeLimits.defaults())).isNull();
        assertThat(pending.checkpoints()).isEmpty();

        checkpoint(3, 3_000L, file("a", 1));
        checkpoint(4, 4_000L);
        LoadBatch batch = pending.nextBatch(MergeLimits.defaults());
        assertThat(batch.metadata().checkpointId()).isEqualTo(4);
        assertThat(batch.metadata().eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(4_000));
        pending.loaded(batch);
        assertThat(pending.checkpoints()).isEmpty();
    }

    @Test
    void aFileInALoadThatIsStillRunningStaysPending() {
        checkpoint(1, null, file("a", 1));
        LoadBatch running = pending.nextBatch(MergeLimits.defaults());
        assertThat(running).isNotNull();
        assertThat(pending.pendingFiles()).isEqualTo(1);
        assertThat(pending.hasLoadableFiles()).isTrue();
    }

    @Test
    void theStateRoundTripsWithIncompleteCheckpointsAndLoadedFiles() throws IOException {
        checkpoint(1, 1_000L, file("a", 1), file("b", 2), file("c", 3));
        LoadBatch partial = pending.nextBatch(MergeLimits.ofMegabytes(1, 1));
        pending.loaded(partial);
        // checkpoint 2: subtask 0 of 2 has reported, subtask 1 has not
        pending.add(new CommittableSummary<>(0, 2, 2, 1, 0, 0));
        pending.add(
                new CommittableWithLineage<>(
                        new CommittedFile(2, file("d", 4), "job", 7L, 0, 2), 2, 0));

        PendingLoadsSerializer serializer = new PendingLoadsSerializer();
        PendingLoads back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(pending));

        assertThat(back.pendingFiles()).isEqualTo(3);
        assertThat(back.checkpoints().get(1L).loadedUrls()).containsExactly("s3://b/a");
        assertThat(back.checkpoints().get(2L).isComplete()).isFalse();
        assertThat(back.checkpoints().get(2L).committables())
                .containsExactly(new CommittedFile(2, file("d", 4), "job", 7L, 0, 2));
        LoadBatch next = back.nextBatch(MergeLimits.defaults());
        assertThat(next.files())
                .extracting(StagedFile::url)
                .containsExactly("s3://b/b", "s3://b/c");
        assertThat(next.metadata().eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void aLaterCompleteCheckpointSealsAnEarlierOneThatCannotTellItself() {
        // Checkpoint 1 from before a rescale: writer subtask 0 of 2 counted one file, and the
        // part of writer subtask 1 is what committers re-emit after the restore.
        pending.add(CommittedFile.carrier(1, "job", 1_000L, 0, 2, 1));
        pending.add(new CommittedFile(1, file("a", 1), "job", 1_000L, 0, 2));
        assertThat(pending.nextBatch(MergeLimits.defaults())).isNull();
        assertThat(pending.oldestWaiting())
                .map(PendingCheckpoint::waitingFor)
                .contains("carriers of writer subtasks [1] of 2");

        checkpoint(2, 2_000L, file("b", 1));

        LoadBatch batch = pending.nextBatch(MergeLimits.defaults());
        assertThat(batch.files())
                .extracting(StagedFile::url)
                .containsExactly("s3://b/a", "s3://b/b");
        assertThat(batch.metadata().eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(2_000));
        assertThat(pending.oldestWaiting()).isEmpty();
    }

    @Test
    void aWriterShortOfTheFilesItCountedIsNamed() {
        pending.add(CommittedFile.carrier(1, "job", null, 0, 1, 3));
        pending.add(new CommittedFile(1, file("a", 1), "job", null, 0, 1));
        pending.add(new CommittedFile(1, file("a", 1), "job", null, 0, 1));
        assertThat(pending.checkpoints().get(1L).isComplete()).isFalse();
        assertThat(pending.checkpoints().get(1L).waitingFor())
                .isEqualTo("files of writer subtasks [0 (1 of 3 files)]");
    }

    @Test
    void stateOfTheReleaseBeforeRescaleSafeLoadsStaysReadable() throws IOException {
        // Pinned version 1 bytes: checkpoint 4 from committer subtasks 0 and 1 of 2 with files
        // a (loaded) and b and carriers without file counts (watermarks 1000 and 900); checkpoint
        // 5 with file c from committer subtask 0 of 2 only.
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "00000003000000020000000000000004000000020000000200000000000000020000000200000030000000000000000401000873333a2f2f622f61000000000000000a0100016a0100000000000003e800000000000000020000001e0000000000000004000100016a0100000000000003e8000000000000000200000001000000020000000200000030000000000000000401000873333a2f2f622f6200000000000000140100016a01000000000000038400000001000000020000001e0000000000000004000100016a010000000000000384000000010000000200000001000873333a2f2f622f610000000000000005000000020000000100000000000000020000000200000030000000000000000501000873333a2f2f622f63000000000000001e0100016a0100000000000007d000000000000000020000001e0000000000000005000100016a0100000000000007d0000000000000000200000000");

        PendingLoads back = new PendingLoadsSerializer().deserialize(1, v1);

        assertThat(back.pendingFiles()).isEqualTo(2);
        assertThat(back.checkpoints().get(4L).loadedUrls()).containsExactly("s3://b/a");
        assertThat(back.checkpoints().get(4L).watermark()).contains(900L);
        assertThat(back.sealedThrough()).isEqualTo(PendingLoads.NONE_SEALED);
        assertThat(back.nextBatch(MergeLimits.defaults()))
                .as("carriers without file counts cannot tell a checkpoint is complete")
                .isNull();

        for (int writer = 0; writer < 4; writer++) {
            back.add(CommittedFile.carrier(6, "job", 3_000L, writer, 4, 0));
        }
        LoadBatch batch = back.nextBatch(MergeLimits.defaults());
        assertThat(batch.files())
                .extracting(StagedFile::url)
                .containsExactly("s3://b/b", "s3://b/c");
        assertThat(batch.metadata().checkpointId()).isEqualTo(6);
        assertThat(batch.metadata().eventTimeWatermark()).isEqualTo(Instant.ofEpochMilli(3_000));
    }
}
