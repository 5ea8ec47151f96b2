package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;

import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures what {@code dedup} keeps per key, for the numbers in {@code docs/transforms.md}: the
 * heap backend's Java heap (JOL's retained size of the keyed state backend, with {@value #KEYS}
 * keys minus with none) and the full-snapshot bytes per key of the heap and RocksDB backends
 * (RocksDB with a fifth of the keys: each write is a JNI call). Keys are {@code event_id} UUIDs (36
 * characters), as a producer would generate them.
 *
 * <p>The bounds catch a layout change (say, the whole record kept instead of a flag), not noise:
 * the measured values are printed and go into the docs by hand.
 */
class DedupStateSizeTest {

    private static final int KEYS = 100_000;

    static {
        // JOL's default way to find field offsets does not work on Java 17 without an agent.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static final StageKey KEY =
            StageKey.field("event_id", MissingKeyPolicy.PROCESSING_FAILED);

    @Test
    void theHeapBackendKeepsAbout150BytesPerUuidKey() throws Exception {
        Measured heap = measure(new HashMapStateBackend(), KEYS);

        System.out.printf(
                "DedupStateSize heap: %.0f B/key on the Java heap, %.0f B/key in a full snapshot%n",
                heap.heapPerKey, heap.snapshotPerKey);
        assertThat(heap.heapPerKey).isBetween(140.0, 180.0);
        assertThat(heap.snapshotPerKey).isBetween(44.0, 60.0);
    }

    @Test
    void theRocksDbBackendKeepsTheKeyAndATimestampPerKeyInItsSnapshot() throws Exception {
        // Fewer keys: each goes through RocksDB's JNI, and the size per key is what matters.
        Measured rocks = measure(new EmbeddedRocksDBStateBackend(false), KEYS / 5);

        System.out.printf(
                "DedupStateSize rocksdb: %.0f B/key in a full snapshot%n", rocks.snapshotPerKey);
        assertThat(rocks.snapshotPerKey).isBetween(44.0, 60.0);
    }

    private record Measured(double heapPerKey, double snapshotPerKey) {}

    private static Measured measure(StateBackend backend, int keys) throws Exception {
        try (DedupTransformTest.Harness empty = harness(backend);
                DedupTransformTest.Harness full = harness(backend)) {
            empty.open();
            full.open();
            // One key in both, so that lazily created structures are in both measurements.
            empty.harness.processElement(new StreamRecord<>(record(UUID.randomUUID()), 0L));
            full.harness.processElement(new StreamRecord<>(record(UUID.randomUUID()), 0L));
            for (int i = 0; i < keys; i++) {
                full.harness.processElement(new StreamRecord<>(record(UUID.randomUUID()), 0L));
            }
            full.harness.getOutput().clear();
            empty.harness.getOutput().clear();
            double heapPerKey = Double.NaN;
            if (backend instanceof HashMapStateBackend) {
                assertThat(full.harness.numKeyedStateEntries()).isEqualTo(keys + 1);
                long emptyBytes =
                        GraphLayout.parseInstance(
                                        empty.harness.getOperator().getKeyedStateBackend())
                                .totalSize();
                long fullBytes =
                        GraphLayout.parseInstance(full.harness.getOperator().getKeyedStateBackend())
                                .totalSize();
                heapPerKey = (fullBytes - emptyBytes) / (double) keys;
            }
            long emptySnapshot = snapshotBytes(empty.harness.snapshot(1L, 1L));
            long fullSnapshot = snapshotBytes(full.harness.snapshot(1L, 1L));
            return new Measured(heapPerKey, (fullSnapshot - emptySnapshot) / (double) keys);
        }
    }

    private static DedupTransformTest.Harness harness(StateBackend backend) throws Exception {
        DedupTransformTest.Harness h =
                new DedupTransformTest.Harness(
                        KEY, 1, 0, DedupTransform.withAnyTtl(Duration.ofHours(1)));
        h.harness.setStateBackend(backend);
        return h;
    }

    private static long snapshotBytes(OperatorSubtaskState snapshot) {
        long bytes = 0;
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            bytes += handle.getStateSize();
        }
        return bytes;
    }

    private static SluiceRecord record(UUID eventId) {
        return TestRecords.json("{\"event_id\":\"" + eventId + "\",\"event_type\":\"click\"}");
    }
}
