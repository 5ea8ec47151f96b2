package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The transform stage: runs a {@link SluiceTransform} on every record and turns its answer into
 * exactly one of Firehose's outcomes.
 *
 * <ul>
 *   <li>Ok → the main output (payload rewritten if the transform returned new bytes);
 *   <li>Dropped → counted, nothing emitted;
 *   <li>ProcessingFailed, a {@code null} answer, or an exception (unless {@link
 *       ExceptionPolicy#FAIL_JOB}) → the {@link #PROCESSING_FAILED} side output with the original
 *       bytes, which the job writes to {@code errors/processing-failed/}.
 * </ul>
 *
 * <p>Records whose event time is behind the current watermark are counted as late; with {@link
 * LateRecordPolicy#ERRORS} they go to the {@link #LATE} side output instead of the transform.
 *
 * <p>The transform gets a copy of the payload, so the error envelope holds the bytes exactly as
 * they were read even if user code modifies the array it was given.
 */
public class TransformFunction extends ProcessFunction<SluiceRecord, SluiceRecord> {

    private static final long serialVersionUID = 1L;

    /** Records that failed processing, bound for {@code errors/processing-failed/}. */
    public static final OutputTag<FailedRecord> PROCESSING_FAILED =
            new OutputTag<>("processing-failed", FailedRecord.TYPE_INFO);

    /** Late records when the policy routes them to {@code errors/late/}. */
    public static final OutputTag<FailedRecord> LATE =
            new OutputTag<>("late", FailedRecord.TYPE_INFO);

    /** At most one log line per this many ms about failing records, per subtask. */
    public static final long DEFAULT_LOG_INTERVAL_MS = 10_000L;

    /** Error messages are cut here: an envelope is for diagnosis, not for stack traces. */
    static final int MAX_ERROR_MESSAGE_CHARS = 1_000;

    public static final ExceptionPolicy DEFAULT_EXCEPTION_POLICY =
            ExceptionPolicy.PROCESSING_FAILED;

    public static final LateRecordPolicy DEFAULT_LATE_RECORD_POLICY = LateRecordPolicy.DELIVER;

    private final TransformStage stage;

    private transient CollectorOutputs outputs;

    private TransformFunction(Builder builder) {
        this.stage = builder.stage();
    }

    /** With the defaults: failures become error records, late records are delivered. */
    public TransformFunction(SluiceTransform transform) {
        this(builder(transform));
    }

    public static Builder builder(SluiceTransform transform) {
        return new Builder(transform);
    }

    /** Builds a {@link TransformFunction}; every setting has a named default. */
    public static final class Builder {

        private final SluiceTransform transform;
        private ExceptionPolicy exceptionPolicy = DEFAULT_EXCEPTION_POLICY;
        private LateRecordPolicy lateRecordPolicy = DEFAULT_LATE_RECORD_POLICY;
        private long logIntervalMs = DEFAULT_LOG_INTERVAL_MS;

        private Builder(SluiceTransform transform) {
            this.transform = checkNotNull(transform, "transform");
        }

        /** Default {@link #DEFAULT_EXCEPTION_POLICY}. */
        public Builder onException(ExceptionPolicy policy) {
            this.exceptionPolicy = checkNotNull(policy, "policy");
            return this;
        }

        /** Default {@link #DEFAULT_LATE_RECORD_POLICY}. */
        public Builder lateRecords(LateRecordPolicy policy) {
            this.lateRecordPolicy = checkNotNull(policy, "policy");
            return this;
        }

        /** At most one log line about failing records per this many ms per subtask. */
        public Builder logIntervalMs(long intervalMs) {
            checkArgument(intervalMs >= 0, "log interval must not be negative");
            this.logIntervalMs = intervalMs;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the chain has a keyed step, whose state would have no
         *     key here: such chains need {@link #buildKeyed}
         */
        public TransformFunction build() {
            List<SluiceTransform> steps =
                    transform instanceof ChainedTransform chain
                            ? chain.steps()
                            : List.of(transform);
            for (SluiceTransform step : steps) {
                checkArgument(
                        !(step instanceof KeyedStep),
                        "the chain's step %s is keyed: the stage needs a key (buildKeyed)",
                        step);
            }
            return new TransformFunction(this);
        }

        /**
         * The stage as a keyed function, for a stream keyed by {@code key}: for chains with a keyed
         * step ({@code dedup}, a {@link
         * dev.sluice.operators.transform.keyed.KeyedSluiceTransform}).
         */
        public KeyedTransformFunction buildKeyed(
                dev.sluice.operators.transform.keyed.StageKey key) {
            return new KeyedTransformFunction(stage(), key);
        }

        TransformStage stage() {
            return new TransformStage(transform, exceptionPolicy, lateRecordPolicy, logIntervalMs);
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        outputs = new CollectorOutputs();
        stage.open(getRuntimeContext());
    }

    /** The counters, for tests in this package; null before {@code open}. */
    TransformMetrics metrics() {
        return stage.metrics();
    }

    @Override
    public void close() throws Exception {
        stage.close();
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<SluiceRecord> out) {
        stage.process(
                record,
                ctx.timestamp(),
                ctx.timerService().currentWatermark(),
                ctx.timerService().currentProcessingTime(),
                outputs.to(out, ctx::output),
                null);
    }
}
