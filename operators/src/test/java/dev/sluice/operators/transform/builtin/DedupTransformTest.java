package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.ChainedTransform;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.operators.transform.KeyedStep;
import dev.sluice.operators.transform.KeyedTransformFunction;
import dev.sluice.operators.transform.TransformFunction;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code dedup} in the keyed transform stage, driven through {@link
 * KeyedOneInputStreamOperatorTestHarness}: the window (state TTL, driven by the harness's TTL
 * clock), snapshots and restores, and rescaling of the seen keys between parallelisms.
 */
class DedupTransformTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_PARALLELISM = 128;
    private static final StageKey KEY =
            StageKey.field("event_id", MissingKeyPolicy.PROCESSING_FAILED);

    @Test
    void aKeyRepeatedWithinTheWindowIsDroppedAndCountedAsADuplicate() throws Exception {
        try (Harness h = new Harness(KEY, 1, 0)) {
            h.open();
            h.process("e1", "e2", "e1", "e1", "e3");

            assertThat(h.deliveredIds()).containsExactly("e1", "e2", "e3");
            assertThat(h.dedup().duplicates().getCount()).isEqualTo(2);
            assertThat(h.harness.numKeyedStateEntries()).isEqualTo(3);
        }
    }

    @Test
    void aKeySeenLongerAgoThanTheTtlIsNewAgainAndTheWindowRunsFromItsFirstSighting()
            throws Exception {
        try (Harness h = new Harness(KEY, 1, 0)) {
            h.open();
            h.harness.setStateTtlProcessingTime(0);
            h.process("e1");
            h.harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
            h.process("e1"); // a duplicate reads and does not extend the window
            h.harness.setStateTtlProcessingTime(TTL.toMillis());
            h.process("e1");

            assertThat(h.deliveredIds()).containsExactly("e1", "e1");
            assertThat(h.dedup().duplicates().getCount()).isEqualTo(1);
        }
    }

    @Test
    void seenKeysSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness h = new Harness(KEY, 1, 0)) {
            h.open();
            h.process("e1", "e2");
            snapshot = h.harness.snapshot(1L, 1L);
        }
        try (Harness restored = new Harness(KEY, 1, 0)) {
            restored.harness.initializeState(snapshot);
            restored.open();
            restored.process("e1", "e2", "e3");

            assertThat(restored.deliveredIds()).containsExactly("e3");
            assertThat(restored.dedup().duplicates().getCount()).isEqualTo(2);
        }
    }

    @Test
    void expiredKeysAreLeftOutOfAFullSnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness h = new Harness(KEY, 1, 0)) {
            h.open();
            h.harness.setStateTtlProcessingTime(0);
            h.process("e1", "e2");
            h.harness.setStateTtlProcessingTime(TTL.toMillis() / 2);
            h.process("e3");
            h.harness.setStateTtlProcessingTime(TTL.toMillis());
            snapshot = h.harness.snapshot(1L, 1L);
        }
        try (Harness restored = new Harness(KEY, 1, 0)) {
            restored.harness.initializeState(snapshot);
            restored.open();

            assertThat(restored.harness.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void seenKeysFollowTheirKeyGroupsWhenScaledFrom1To3AndBackTo2() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add("e" + i);
        }
        OperatorSubtaskState atOne;
        try (Harness h = new Harness(KEY, 1, 0)) {
            h.open();
            h.process(ids.toArray(String[]::new));
            assertThat(h.deliveredIds()).hasSize(300);
            atOne = h.harness.snapshot(1L, 1L);
        }

        List<OperatorSubtaskState> atThree = new ArrayList<>();
        List<String> freshIds = new ArrayList<>();
        long duplicates = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            try (Harness h = new Harness(KEY, 3, subtask)) {
                h.harness.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                atOne, MAX_PARALLELISM, 1, 3, subtask));
                h.open();
                List<String> own = h.ownKeys(ids);
                assertThat(own).as("subtask %d owns some keys", subtask).isNotEmpty();
                assertThat(h.harness.numKeyedStateEntries()).isEqualTo(own.size());
                h.process(own.toArray(String[]::new));
                String fresh = h.ownKeys(candidates("new-")).get(0);
                freshIds.add(fresh);
                h.process(fresh);
                assertThat(h.deliveredIds()).containsExactly(fresh);
                duplicates += h.dedup().duplicates().getCount();
                atThree.add(h.harness.snapshot(2L, 2L));
            }
        }
        assertThat(duplicates).isEqualTo(300);

        OperatorSubtaskState merged =
                AbstractStreamOperatorTestHarness.repackageState(
                        atThree.toArray(OperatorSubtaskState[]::new));
        List<String> all = new ArrayList<>(ids);
        all.addAll(freshIds);
        long redelivered = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            try (Harness h = new Harness(KEY, 2, subtask)) {
                h.harness.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                merged, MAX_PARALLELISM, 3, 2, subtask));
                h.open();
                h.process(h.ownKeys(all).toArray(String[]::new));
                redelivered += h.deliveredIds().size();
            }
        }
        assertThat(redelivered)
                .as("every key, old or new, is still seen at parallelism 2")
                .isZero();
    }

    @Test
    void aRecordWithoutTheKeyFailsOrPassesUncheckedAsConfigured() throws Exception {
        try (Harness failing = new Harness(KEY, 1, 0)) {
            failing.open();
            failing.harness.processElement(new StreamRecord<>(TestRecords.json("{}"), 0L));
            assertThat(failing.failed())
                    .singleElement()
                    .satisfies(
                            f ->
                                    assertThat(f.getErrorCode())
                                            .isEqualTo(KeyedTransformFunction.MISSING_KEY));
        }
        StageKey passing = StageKey.field("event_id", MissingKeyPolicy.PASS);
        try (Harness h = new Harness(passing, 1, 0)) {
            h.open();
            SluiceRecord keyless = TestRecords.json("{\"other\":1}");
            h.harness.processElement(new StreamRecord<>(keyless, 0L));
            h.harness.processElement(new StreamRecord<>(keyless, 0L));

            assertThat(h.harness.extractOutputValues()).hasSize(2);
            assertThat(h.failed()).isEmpty();
            assertThat(h.harness.numKeyedStateEntries()).as("nothing remembered").isZero();
        }
    }

    @Test
    void underAStageKeyedByAnotherFieldItRemembersItsOwnKeysPerStageKeyThroughARestore()
            throws Exception {
        StageKey byUser = StageKey.field("user_id", MissingKeyPolicy.PROCESSING_FAILED);
        OperatorSubtaskState snapshot;
        try (Harness h = new Harness(byUser, 1, 0, withinUser())) {
            h.open();
            h.harness.setStateTtlProcessingTime(0);
            h.processJson(
                    "{\"user_id\":\"u1\",\"event_id\":\"e1\"}",
                    "{\"user_id\":\"u1\",\"event_id\":\"e2\"}",
                    "{\"user_id\":\"u1\",\"event_id\":\"e1\"}",
                    "{\"user_id\":\"u2\",\"event_id\":\"e3\"}",
                    "{\"user_id\":\"u2\",\"event_id\":\"e3\"}",
                    "{\"user_id\":\"u1\"}");

            assertThat(h.deliveredEventIds()).containsExactly("e1", "e2", "e3");
            assertThat(h.dedup().duplicates().getCount()).isEqualTo(2);
            assertThat(h.failed())
                    .singleElement()
                    .satisfies(
                            f ->
                                    assertThat(f.getErrorCode())
                                            .isEqualTo(KeyedTransformFunction.MISSING_KEY));
            assertThat(h.harness.numKeyedStateEntries())
                    .as("one map per user with an entry per event_id")
                    .isEqualTo(2);
            snapshot = h.harness.snapshot(1L, 1L);
        }
        try (Harness restored = new Harness(byUser, 1, 0, withinUser())) {
            restored.harness.initializeState(snapshot);
            restored.open();
            restored.harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
            restored.processJson(
                    "{\"user_id\":\"u1\",\"event_id\":\"e2\"}",
                    "{\"user_id\":\"u2\",\"event_id\":\"e1\"}");
            restored.harness.setStateTtlProcessingTime(TTL.toMillis());
            restored.processJson("{\"user_id\":\"u1\",\"event_id\":\"e1\"}");

            assertThat(restored.deliveredEventIds())
                    .as("e2 seen before the snapshot; e1 new under u2; e1 under u1 expired")
                    .containsExactly("e1", "e1");
            assertThat(restored.dedup().duplicates().getCount()).isEqualTo(1);
        }
    }

    private static DedupTransform withinUser() {
        return DedupTransform.withinStageKeyWithAnyTtl(
                TTL, StageKey.fieldPath("event_id"), MissingKeyPolicy.PROCESSING_FAILED);
    }

    @Test
    void theMetadataKeyMatchesAProducerRetryAndNothingElse() throws Exception {
        StageKey key = StageKey.partitionKeyAndPayloadHash();
        SluiceRecord original = TestRecords.json("{\"a\":1}");
        SluiceRecord retry = TestRecords.json("{\"a\":1}");
        retry.setSequenceNumber("4960000000000099");
        SluiceRecord otherPayload = TestRecords.json("{\"a\":2}");
        SluiceRecord otherPartitionKey = TestRecords.json("{\"a\":1}");
        otherPartitionKey.setPartitionKey("user-8");

        assertThat(key.getKey(retry)).isEqualTo(key.getKey(original));
        assertThat(key.getKey(otherPayload)).isNotEqualTo(key.getKey(original));
        assertThat(key.getKey(otherPartitionKey)).isNotEqualTo(key.getKey(original));
    }

    @Test
    void theTtlMustBeBetweenAMinuteAndSevenDays() {
        assertThat(new DedupTransform(Duration.ofMinutes(1)).ttl())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(new DedupTransform(Duration.ofDays(7)).ttl()).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> new DedupTransform(Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DedupTransform(Duration.ofDays(7).plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> candidates(String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    /** One subtask of the keyed stage running {@code json,dedup}. */
    static final class Harness implements AutoCloseable {

        final KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness;
        private final KeyedTransformFunction function;
        private final StageKey key;
        private final int parallelism;
        private final int subtask;

        Harness(StageKey key, int parallelism, int subtask) throws Exception {
            this(key, parallelism, subtask, DedupTransform.withAnyTtl(TTL));
        }

        Harness(StageKey key, int parallelism, int subtask, DedupTransform dedup) throws Exception {
            this.key = key;
            this.parallelism = parallelism;
            this.subtask = subtask;
            this.function =
                    TransformFunction.builder(
                                    new ChainedTransform(
                                            List.of(
                                                    new JsonValidationTransform(),
                                                    new KeyedStep(dedup))))
                            .buildKeyed(key);
            this.harness =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(function),
                            key,
                            Types.STRING,
                            MAX_PARALLELISM,
                            parallelism,
                            subtask);
        }

        void open() throws Exception {
            harness.open();
        }

        void process(String... eventIds) throws Exception {
            for (String id : eventIds) {
                harness.processElement(new StreamRecord<>(record(id), 0L));
            }
        }

        void processJson(String... payloads) throws Exception {
            for (String payload : payloads) {
                harness.processElement(new StreamRecord<>(TestRecords.json(payload), 0L));
            }
        }

        List<String> deliveredEventIds() {
            List<String> ids = new ArrayList<>();
            for (SluiceRecord r : harness.extractOutputValues()) {
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\"event_id\":\"([^\"]*)\"")
                                .matcher(TestRecords.text(r));
                ids.add(m.find() ? m.group(1) : null);
            }
            return ids;
        }

        /** The ids among these whose key group this subtask owns. */
        List<String> ownKeys(List<String> eventIds) throws Exception {
            List<String> own = new ArrayList<>();
            for (String id : eventIds) {
                int owner =
                        KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                key.getKey(record(id)), MAX_PARALLELISM, parallelism);
                if (owner == subtask) {
                    own.add(id);
                }
            }
            return own;
        }

        List<String> deliveredIds() {
            List<String> ids = new ArrayList<>();
            for (SluiceRecord r : harness.extractOutputValues()) {
                String text = TestRecords.text(r);
                ids.add(text.substring(text.indexOf(":\"") + 2, text.lastIndexOf('"')));
            }
            return ids;
        }

        List<FailedRecord> failed() {
            List<FailedRecord> out = new ArrayList<>();
            var side = harness.getSideOutput(TransformFunction.PROCESSING_FAILED);
            if (side != null) {
                side.forEach(r -> out.add(r.getValue()));
            }
            return out;
        }

        DedupTransform dedup() {
            List<?> steps = ((ChainedTransform) stepsOf(function)).steps();
            return (DedupTransform) ((KeyedStep) steps.get(1)).delegate();
        }

        private static Object stepsOf(KeyedTransformFunction function) {
            return function.transform();
        }

        private static SluiceRecord record(String eventId) {
            return TestRecords.json("{\"event_id\":\"" + eventId + "\"}");
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }
}
