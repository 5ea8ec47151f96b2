package dev.sluice.operators.source.position;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SourcePositionFilter} in a one-input operator harness: what it drops against the ledger's
 * positions, how it numbers the user records of an aggregated record, and that the numbering
 * survives a restore taken between two of them.
 */
class SourcePositionFilterTest {

    private static final String STREAM = "events";
    private static final StreamShard SHARD_0 = new StreamShard(STREAM, "shardId-000000000000");
    private static final StreamShard SHARD_1 = new StreamShard(STREAM, "shardId-000000000001");

    /** Sequence numbers of the real length: 56 digits. */
    private static final String SEQ_A = "49590338271490256608559692538361571095921575989136588802";

    private static final String SEQ_B = "49590338271490256608559692538361571095921575989136588803";

    @Test
    void recordsAtOrBeforeTheLedgerPositionAreDroppedAndCountedLaterOnesPass() throws Exception {
        SourcePositionFilter filter = filter(Map.of(SHARD_0, new SourcePosition("99", 0, 1L)));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h = harness(filter)) {
            h.open();
            h.processElement(record(SHARD_0, "7"), 0);
            h.processElement(record(SHARD_0, "99"), 0);
            // As strings "100" sorts before "99"; as numbers it comes after and must pass.
            h.processElement(record(SHARD_0, "100"), 0);

            assertThat(sequenceNumbers(h)).containsExactly("100");
            assertThat(filter.alreadyLoaded().getCount()).isEqualTo(2);
        }
    }

    @Test
    void shardsTheLedgerDoesNotKnowPassWhole() throws Exception {
        SourcePositionFilter filter = filter(Map.of(SHARD_0, new SourcePosition(SEQ_B, 0, 1L)));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h = harness(filter)) {
            h.open();
            h.processElement(record(SHARD_1, SEQ_A), 0);
            h.processElement(record(new StreamShard("other", SHARD_0.shardId()), SEQ_A), 0);

            assertThat(sequenceNumbers(h)).containsExactly(SEQ_A, SEQ_A);
            assertThat(filter.alreadyLoaded().getCount()).isZero();
        }
    }

    @Test
    void userRecordsOfOneAggregatedRecordAreNumberedAndAPositionBetweenThemDropsOnlyTheLoaded()
            throws Exception {
        // The ledger says: loaded through the second user record (index 1) of aggregated SEQ_A.
        SourcePositionFilter filter = filter(Map.of(SHARD_0, new SourcePosition(SEQ_A, 1, 1L)));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h = harness(filter)) {
            h.open();
            for (int i = 0; i < 4; i++) {
                h.processElement(record(SHARD_0, SEQ_A), 0);
            }
            h.processElement(record(SHARD_0, SEQ_B), 0);

            List<SluiceRecord> out = records(h);
            assertThat(out)
                    .extracting(SluiceRecord::getSequenceNumber)
                    .containsExactly(SEQ_A, SEQ_A, SEQ_B);
            assertThat(out)
                    .extracting(SluiceRecord::getSubSequenceNumber)
                    .containsExactly(2L, 3L, 0L);
            assertThat(filter.alreadyLoaded().getCount()).isEqualTo(2);
        }
    }

    @Test
    void aRestoreBetweenTwoUserRecordsOfAnAggregatedRecordContinuesTheirNumbering()
            throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h =
                harness(filter(Map.of()))) {
            h.open();
            h.processElement(record(SHARD_0, SEQ_A), 0);
            h.processElement(record(SHARD_0, SEQ_A), 0);
            snapshot = h.snapshot(1L, 1L);
        }
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h =
                harness(filter(Map.of()))) {
            h.initializeState(snapshot);
            h.open();
            // The source resumes after user record 1 of SEQ_A.
            h.processElement(record(SHARD_0, SEQ_A), 0);
            h.processElement(record(SHARD_0, SEQ_B), 0);

            assertThat(records(h))
                    .extracting(SluiceRecord::getSubSequenceNumber)
                    .containsExactly(2L, 0L);
        }
    }

    @Test
    void recordsWithoutAPositionPassUntouched() throws Exception {
        SourcePositionFilter filter = filter(Map.of(SHARD_0, new SourcePosition(SEQ_B, 0, 1L)));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h = harness(filter)) {
            h.open();
            h.processElement(new SluiceRecord(new byte[] {1}, STREAM, null, "k", null, 1L), 0);
            assertThat(records(h)).hasSize(1);
        }
    }

    @Test
    void aLedgerThatCannotBeReadFailsTheStartInsteadOfDeliveringTwice() throws Exception {
        SourcePositionFilter filter =
                new SourcePositionFilter(
                        STREAM,
                        stream -> {
                            throw new java.sql.SQLException("connection refused");
                        });
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h = harness(filter)) {
            assertThatThrownBy(h::open)
                    .hasMessageContaining("Cannot read the source positions of stream " + STREAM)
                    .hasMessageContaining("connection refused");
        }
    }

    private static SourcePositionFilter filter(Map<StreamShard, SourcePosition> loaded) {
        SourcePositions positions = new SourcePositions(loaded);
        return new SourcePositionFilter(
                STREAM, stream -> stream.equals(STREAM) ? positions : SourcePositions.none());
    }

    private static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness(
            SourcePositionFilter filter) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(filter));
    }

    private static SluiceRecord record(StreamShard shard, String sequenceNumber) {
        return new SluiceRecord(
                new byte[] {1}, shard.stream(), shard.shardId(), "key", sequenceNumber, 1_000L);
    }

    private static List<SluiceRecord> records(
            OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h) {
        return h.extractOutputValues();
    }

    private static List<String> sequenceNumbers(
            OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h) {
        return records(h).stream().map(SluiceRecord::getSequenceNumber).toList();
    }
}
