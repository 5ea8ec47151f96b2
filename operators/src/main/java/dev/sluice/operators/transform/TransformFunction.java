package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

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

    private static final Logger LOG = LoggerFactory.getLogger(TransformFunction.class);

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

    public static final ExceptionPolicy DEFAULT_EXCEPTION_POLICY = ExceptionPolicy.PROCESSING_FAILED;

    public static final LateRecordPolicy DEFAULT_LATE_RECORD_POLICY = LateRecordPolicy.DELIVER;

    private final SluiceTransform transform;
    private final ExceptionPolicy exceptionPolicy;
    private final LateRecordPolicy lateRecordPolicy;
    private final long logIntervalMs;

    private transient TransformMetrics metrics;
    private transient RateLimitedLog failureLog;

    private TransformFunction(Builder builder) {
        this.transform = builder.transform;
        this.exceptionPolicy = builder.exceptionPolicy;
        this.lateRecordPolicy = builder.lateRecordPolicy;
        this.logIntervalMs = builder.logIntervalMs;
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

        public TransformFunction build() {
            return new TransformFunction(this);
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        metrics = TransformMetrics.register(getRuntimeContext().getMetricGroup());
        failureLog = new RateLimitedLog(logIntervalMs, System::currentTimeMillis);
        transform.open(getRuntimeContext());
    }

    /** The counters, for tests in this package; null before {@code open}. */
    TransformMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws Exception {
        transform.close();
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<SluiceRecord> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        metrics.incomingRecords.inc();
        metrics.incomingBytes.inc(record.getData() == null ? 0 : record.getData().length);
        if (!record.isEventTimeFromPayload()) {
            metrics.eventTimeFromArrival.inc();
        }
        if (isLate(ctx)) {
            metrics.late.inc();
            if (lateRecordPolicy == LateRecordPolicy.ERRORS) {
                metrics.lateRouted.inc();
                ctx.output(
                        LATE,
                        FailedRecord.of(
                                record,
                                ErrorCodes.LATE_RECORD,
                                "event time "
                                        + ctx.timestamp()
                                        + " is behind the watermark "
                                        + ctx.timerService().currentWatermark(),
                                now));
                return;
            }
        }

        TransformResult result = decide(record);

        if (result instanceof TransformResult.Ok ok) {
            metrics.ok.inc();
            out.collect(delivered(record, ok));
        } else if (result instanceof TransformResult.Dropped) {
            metrics.dropped.inc();
        } else {
            TransformResult.ProcessingFailed failed = (TransformResult.ProcessingFailed) result;
            metrics.processingFailed.inc();
            ctx.output(
                    PROCESSING_FAILED,
                    FailedRecord.of(
                            record,
                            failed.errorCode(),
                            truncate(failed.errorMessage()),
                            now));
        }
    }

    private TransformResult decide(SluiceRecord record) {
        byte[] data = record.getData() == null ? new byte[0] : record.getData();
        SluiceRecord input = record.withData(data.clone());
        TransformResult result;
        try {
            result = transform.transform(input);
        } catch (Exception | StackOverflowError thrown) {
            // A stack overflow is what recursive user code does on a deeply nested payload: a
            // property of that record, so it fails the record rather than restarting the job
            // into the same record forever. Other errors (out of memory, linkage) fail the task.
            metrics.exceptions.inc();
            String culprit = transform.getClass().getName();
            Throwable e = thrown;
            if (thrown instanceof ChainedTransform.StepException step) {
                culprit = step.stepClass();
                e = step.original();
            }
            if (exceptionPolicy == ExceptionPolicy.FAIL_JOB) {
                throw new FlinkRuntimeException(
                        "Transform "
                                + culprit
                                + " threw "
                                + e.getClass().getName()
                                + " for "
                                + record
                                + " (Transform on.exception=FAIL_JOB)",
                        e);
            }
            failureLog.warn(
                    LOG,
                    "Transform {} threw {} for {}; the record goes to the errors prefix",
                    culprit,
                    e.getClass().getName(),
                    record);
            return TransformResult.processingFailed(
                    ErrorCodes.TRANSFORM_EXCEPTION, e.getClass().getName() + ": " + e.getMessage());
        }
        if (result == null) {
            failureLog.warn(
                    LOG,
                    "Transform {} returned no outcome for {}; treated as ProcessingFailed",
                    transform.getClass().getName(),
                    record);
            return TransformResult.processingFailed(
                    ErrorCodes.NO_OUTCOME,
                    "transform " + transform.getClass().getName() + " returned null");
        }
        return result;
    }

    private static SluiceRecord delivered(SluiceRecord record, TransformResult.Ok ok) {
        if (!ok.rewritesData() && ok.partitionKeys().isEmpty()) {
            return record;
        }
        SluiceRecord out = record.withData(ok.rewritesData() ? ok.data() : record.getData());
        if (!ok.partitionKeys().isEmpty()) {
            Map<String, String> keys = new LinkedHashMap<>(record.getPartitionKeys());
            keys.putAll(ok.partitionKeys());
            out.setPartitionKeys(keys);
        }
        return out;
    }

    private static boolean isLate(Context ctx) {
        Long timestamp = ctx.timestamp();
        return timestamp != null && timestamp < ctx.timerService().currentWatermark();
    }

    private static String truncate(String message) {
        return message.length() <= MAX_ERROR_MESSAGE_CHARS
                ? message
                : message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "…";
    }
}
