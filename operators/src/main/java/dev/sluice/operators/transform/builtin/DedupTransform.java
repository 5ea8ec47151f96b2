package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.metrics.SluiceMetricGroups;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.KeyedTransformFunction;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;

import org.apache.flink.api.common.functions.RuntimeContext;
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

    /** Entries the heap backend checks for expiry per state access. */
    static final int INCREMENTAL_CLEANUP_ENTRIES = 10;

    /** Entries RocksDB's compaction filter processes before it refreshes the current time. */
    static final long COMPACTION_FILTER_QUERY_TIME_AFTER = 1_000L;

    private final Duration ttl;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    /**
     * @param ttl how long a key is remembered, {@link #MIN_TTL} to {@link #MAX_TTL}
     */
    public DedupTransform(Duration ttl) {
        this(ttl, MIN_TTL);
    }

    /** For tests, which need windows of seconds. */
    static DedupTransform withAnyTtl(Duration ttl) {
        return new DedupTransform(ttl, Duration.ofMillis(1));
    }

    private DedupTransform(Duration ttl, Duration minTtl) {
        checkNotNull(ttl, "ttl");
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
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .useProcessingTime()
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .cleanupFullSnapshot()
                        .cleanupIncrementally(INCREMENTAL_CLEANUP_ENTRIES, false)
                        .cleanupInRocksdbCompactFilter(COMPACTION_FILTER_QUERY_TIME_AFTER)
                        .build());
        return descriptor;
    }

    @Override
    public void open(RuntimeContext runtimeContext) {
        seen = runtimeContext.getState(stateDescriptor(ttl));
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
        if (seen.value() != null) {
            duplicates.inc();
            return TransformResult.dropped();
        }
        seen.update(Boolean.TRUE);
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
        return NAME + "(" + ttl + ")";
    }
}
