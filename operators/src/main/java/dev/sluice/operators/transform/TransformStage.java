package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome contract of the transform stage, shared by the plain {@link TransformFunction} and
 * the {@link KeyedTransformFunction}: counting, the late-record policy, running the transform with
 * its own copy of the payload, exceptions and {@code null} answers as ProcessingFailed, and routing
 * each outcome. The two functions differ only in how Flink calls them (keyed or not).
 */
final class TransformStage implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TransformFunction.class);

    /** Where the operator running the stage sends records. */
    interface Outputs {
        void ok(SluiceRecord record);

        void side(OutputTag<FailedRecord> tag, FailedRecord record);
    }

    private final SluiceTransform transform;
    private final ExceptionPolicy exceptionPolicy;
    private final LateRecordPolicy lateRecordPolicy;
    private final long logIntervalMs;

    private transient TransformMetrics metrics;
    private transient RateLimitedLog failureLog;

    TransformStage(
            SluiceTransform transform,
            ExceptionPolicy exceptionPolicy,
            LateRecordPolicy lateRecordPolicy,
            long logIntervalMs) {
        this.transform = transform;
        this.exceptionPolicy = exceptionPolicy;
        this.lateRecordPolicy = lateRecordPolicy;
        this.logIntervalMs = logIntervalMs;
    }

    SluiceTransform transform() {
        return transform;
    }

    void open(RuntimeContext runtimeContext) throws Exception {
        metrics = TransformMetrics.register(runtimeContext.getMetricGroup());
        failureLog = new RateLimitedLog(logIntervalMs, System::currentTimeMillis);
        transform.open(runtimeContext);
    }

    TransformMetrics metrics() {
        return metrics;
    }

    void close() throws Exception {
        transform.close();
    }

    /**
     * @param timestamp the record's Flink timestamp, or null
     * @param decided an outcome decided before the transform runs (the keyed stage's missing key),
     *     or null to run the transform
     */
    void process(
            SluiceRecord record,
            Long timestamp,
            long watermark,
            long now,
            Outputs out,
            TransformResult decided) {
        metrics.incomingRecords.inc();
        metrics.incomingBytes.inc(record.getData() == null ? 0 : record.getData().length);
        if (!record.isEventTimeFromPayload()) {
            metrics.eventTimeFromArrival.inc();
        }
        if (timestamp != null && timestamp < watermark) {
            metrics.late.inc();
            if (lateRecordPolicy == LateRecordPolicy.ERRORS) {
                metrics.lateRouted.inc();
                out.side(
                        TransformFunction.LATE,
                        FailedRecord.of(
                                record,
                                ErrorCodes.LATE_RECORD,
                                "event time " + timestamp + " is behind the watermark " + watermark,
                                now));
                return;
            }
        }
        route(record, decided != null ? decided : decide(record), now, out);
    }

    /** Sends one outcome where it belongs and counts it. */
    void route(SluiceRecord record, TransformResult result, long now, Outputs out) {
        if (result instanceof TransformResult.Ok ok) {
            metrics.ok.inc();
            out.ok(delivered(record, ok));
        } else if (result instanceof TransformResult.Dropped) {
            metrics.dropped.inc();
        } else {
            TransformResult.ProcessingFailed failed = (TransformResult.ProcessingFailed) result;
            metrics.processingFailed.inc();
            out.side(
                    TransformFunction.PROCESSING_FAILED,
                    FailedRecord.of(
                            record, failed.errorCode(), truncate(failed.errorMessage()), now));
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
            return onException(thrown, transform.getClass().getName(), record.toString());
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

    /**
     * An exception thrown for a record (or a timer): a ProcessingFailed outcome, or a task failure
     * under {@link ExceptionPolicy#FAIL_JOB}.
     *
     * @param what the record or timer, for the log (never the payload)
     */
    TransformResult onException(Throwable thrown, String culprit, String what) {
        metrics.exceptions.inc();
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
                            + what
                            + " (Transform on.exception=FAIL_JOB)",
                    e);
        }
        failureLog.warn(
                LOG,
                "Transform {} threw {} for {}; the record goes to the errors prefix",
                culprit,
                e.getClass().getName(),
                what);
        return TransformResult.processingFailed(
                ErrorCodes.TRANSFORM_EXCEPTION, e.getClass().getName() + ": " + e.getMessage());
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

    static String truncate(String message) {
        return message.length() <= TransformFunction.MAX_ERROR_MESSAGE_CHARS
                ? message
                : message.substring(0, TransformFunction.MAX_ERROR_MESSAGE_CHARS) + "…";
    }
}
