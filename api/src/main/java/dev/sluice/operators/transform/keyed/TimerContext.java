package dev.sluice.operators.transform.keyed;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.TimeDomain;

/**
 * The context of {@link KeyedSluiceTransform#onTimer}: the key's state and timers, and the two ways
 * a timer can produce output.
 */
@PublicEvolving
public interface TimerContext extends KeyedContext {

    /** Whether an event-time or a processing-time timer fired. */
    TimeDomain timeDomain();

    /**
     * Delivers a record as an Ok outcome (counted in {@code TransformOkRecords}). Build it from a
     * record kept in state, e.g. with {@link SluiceRecord#withData}, so that it carries Kinesis
     * metadata for the warehouse columns and error envelopes.
     */
    void emit(SluiceRecord record);

    /** Sends a record to {@code errors/processing-failed/} with this code and message. */
    void fail(SluiceRecord record, String errorCode, String errorMessage);
}
