package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.metrics.SluiceMetricGroups;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.KeyedTransformFunction;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;

import java.time.Duration;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Built-in {@code dedup}: the first record of a key within {@code dedup.ttl} is Ok, every later one
 * is Dropped and counted as {@value #DUPLICATE_RECORDS}. It removes what Kinesis producers add when
 * they retry {@code PutRecords} entries: the same event as a new record with a new sequence number.
 *
 * <h2>State</h2>
 *
 * <p>One keyed {@code ValueState<Boolean>} entry per key seen, with a processing-time TTL written
 * on creation only ({@code OnCreateAndWrite}; a duplicate reads and never writes, so the window
 * runs from the first sighting and a key repeated for ever still expires). Expired entries are
 * never returned; they are removed from full snapshots, incrementally on the heap backend (a few
 * entries per state access) and by RocksDB's compaction filter. The state is checkpointed with the
 * job, so a key seen before a failure, a restore or a rescale is still seen after it: its key group
 * moves to whichever subtask owns it now.
 *
 * <h2>Under a keyed user transform</h2>
 *
 * <p>A stage has one key, so {@code dedup} in a chain with a keyed user transform runs on the
 * user's key ({@code key.field}), with no second {@code keyBy}. When its own key differs ({@link
 * #withinStageKey}), it keeps a {@code MapState<String, Boolean>} ({@value #WITHIN_KEY_STATE_NAME})
 * per stage key, one TTL'd entry per de-duplication key seen, with the same TTL settings. A repeat
 * is caught only when it arrives under the same stage key as its first copy: always for a
 * producer's retry (the payload is the same bytes), and for any event whose stage key field does
 * not change between copies. When both keys are the same field, the plain {@code ValueState} above
 * is used.
 *
 * <h2>Why processing time</h2>
 *
 * <p>Flink's state TTL knows only processing time. The window is therefore "seen within the last
 * {@code ttl} of wall-clock time", which is what a retry window is; after a long outage and a
 * replay of old records, the window is measured from when Sluice read the first copy.
 */
public final class DedupTransform
        implements KeyedSluiceTransform, KeyedTransformFunction.StatelessTimers {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "dedup";

    /** Counter of records Dropped because their key was seen within the window. */
    public static final String DUPLICATE_RECORDS = "DuplicateRecords";

    /** Name of the seen-keys state; fixed, because savepoints find state by it. */
    public static final String STATE_NAME = "sluice-dedup-seen";

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofDays(7);

    /**
     * Name of the seen-keys state under a stage keyed by another key; its own name, because its
     * layout (a map per stage key) differs from {@value #STATE_NAME}'s.
     */
    public static final String WITHIN_KEY_STATE_NAME = "sluice-dedup-seen-within-key";

    /** Entries the heap backend checks for expiry per state access. */
    static final int INCREMENTAL_CLEANUP_ENTRIES = 10;

    /** Entries RocksDB's compaction filter processes before it refreshes the current time. */
    static final long COMPACTION_FILTER_QUERY_TIME_AFTER = 1_000L;

    private final Duration ttl;

    /** The de-duplication key within the stage key; null when the stage key is the key. */
    private final StageKey.Extractor ownKey;

    private final MissingKeyPolicy missingOwnKey;

    private transient ValueState<Boolean> seen;
    private transient MapState<String, Boolean> seenWithinKey;
    private transient Counter duplicates;

    /**
     * @param ttl how long a key is remembered, {@link #MIN_TTL} to {@link #MAX_TTL}
     */
    public DedupTransform(Duration ttl) {
        this(ttl, MIN_TTL, null, MissingKeyPolicy.PROCESSING_FAILED);
    }

    /**
     * {@code dedup} in a stage keyed by another key (a keyed user transform's {@code key.field}):
     * remembers {@code ownKey}'s values within each stage key.
     *
     * @param ttl how long a key is remembered, {@link #MIN_TTL} to {@link #MAX_TTL}
     * @param ownKey the de-duplication key, read from the record as this step receives it
     * @param missingOwnKey what a record without {@code ownKey} does
     */
    public static DedupTransform withinStageKey(
            Duration ttl, StageKey.Extractor ownKey, MissingKeyPolicy missingOwnKey) {
        return new DedupTransform(ttl, MIN_TTL, checkNotNull(ownKey, "ownKey"), missingOwnKey);
    }

    /** For tests, which need windows of seconds. */
    static DedupTransform withAnyTtl(Duration ttl) {
        return new DedupTransform(ttl, Duration.ofMillis(1), null, MissingKeyPolicy.PASS);
    }

    /** For tests, which need windows of seconds. */
    static DedupTransform withinStageKeyWithAnyTtl(
            Duration ttl, StageKey.Extractor ownKey, MissingKeyPolicy missingOwnKey) {
        return new DedupTransform(ttl, Duration.ofMillis(1), ownKey, missingOwnKey);
    }

    private DedupTransform(
            Duration ttl,
            Duration minTtl,
            StageKey.Extractor ownKey,
            MissingKeyPolicy missingOwnKey) {
        checkNotNull(ttl, "ttl");
        this.ownKey = ownKey;
        this.missingOwnKey = checkNotNull(missingOwnKey, "missingOwnKey");
        checkArgument(
                ttl.compareTo(minTtl) >= 0 && ttl.compareTo(MAX_TTL) <= 0,
                "dedup ttl must be between %s and %s",
                minTtl,
                MAX_TTL);
        this.ttl = ttl;
    }

    /** The state descriptor, with its TTL: the layout savepoints hold. */
    public static ValueStateDescriptor<Boolean> stateDescriptor(Duration ttl) {
        ValueStateDescriptor<Boolean> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, Types.BOOLEAN);
        descriptor.enableTimeToLive(ttlConfig(ttl));
        return descriptor;
    }

    /** The state descriptor under a stage keyed by another key: one TTL'd entry per own key. */
    public static MapStateDescriptor<String, Boolean> withinKeyStateDescriptor(Duration ttl) {
        MapStateDescriptor<String, Boolean> descriptor =
                new MapStateDescriptor<>(WITHIN_KEY_STATE_NAME, Types.STRING, Types.BOOLEAN);
        // Map state's TTL applies to each entry: every own key expires on its own.
        descriptor.enableTimeToLive(ttlConfig(ttl));
        return descriptor;
    }

    private static StateTtlConfig ttlConfig(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .useProcessingTime()
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupFullSnapshot()
                .cleanupIncrementally(INCREMENTAL_CLEANUP_ENTRIES, false)
                .cleanupInRocksdbCompactFilter(COMPACTION_FILTER_QUERY_TIME_AFTER)
                .build();
    }

    @Override
    public void open(RuntimeContext runtimeContext) {
        if (ownKey == null) {
            seen = runtimeContext.getState(stateDescriptor(ttl));
        } else {
            seenWithinKey = runtimeContext.getMapState(withinKeyStateDescriptor(ttl));
        }
        duplicates =
                SluiceMetricGroups.sluice(runtimeContext.getMetricGroup())
                        .counter(DUPLICATE_RECORDS);
    }

    @Override
    public TransformResult transform(SluiceRecord record, KeyedContext context) throws Exception {
        if (context.currentKey() == null) {
            // Let through unchecked (dedup.missing.key=PASS); nothing is remembered for it.
            return TransformResult.ok();
        }
        if (ownKey != null) {
            return transformWithinStageKey(record);
        }
        if (seen.value() != null) {
            duplicates.inc();
            return TransformResult.dropped();
        }
        seen.update(Boolean.TRUE);
        return TransformResult.ok();
    }

    private TransformResult transformWithinStageKey(SluiceRecord record) throws Exception {
        String key = ownKey.keyOf(record);
        if (key == null) {
            return missingOwnKey == MissingKeyPolicy.PASS
                    ? TransformResult.ok()
                    : TransformResult.processingFailed(
                            KeyedTransformFunction.MISSING_KEY,
                            "the record has no dedup key to de-duplicate by");
        }
        if (seenWithinKey.contains(key)) {
            duplicates.inc();
            return TransformResult.dropped();
        }
        seenWithinKey.put(key, Boolean.TRUE);
        return TransformResult.ok();
    }

    /** The {@value #DUPLICATE_RECORDS} counter, for tests; null before {@code open}. */
    Counter duplicates() {
        return duplicates;
    }

    public Duration ttl() {
        return ttl;
    }

    @Override
    public String toString() {
        return NAME + "(" + ttl + (ownKey == null ? "" : ", within the stage key") + ")";
    }
}
