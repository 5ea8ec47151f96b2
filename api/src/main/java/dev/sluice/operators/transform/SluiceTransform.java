package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.RuntimeContext;

import java.io.Serializable;

/**
 * A user's transform: decides, for each record, one of Firehose's three outcomes.
 *
 * <p>Implementations are named by class in the {@code Transform} property group and must have a
 * public no-argument constructor. Sluice runs them inside its {@code TransformFunction} (a Flink
 * {@code ProcessFunction}), which enforces the contract Firehose users rely on:
 *
 * <ul>
 *   <li>every record ends in exactly one outcome; returning {@code null} is a ProcessingFailed with
 *       code {@code NO_OUTCOME}, never a silent drop;
 *   <li>an exception thrown here is a ProcessingFailed for that record (or, if configured, a job
 *       failure), counted and logged without the payload;
 *   <li>the record's bytes must not be modified in place: return a new array in {@link
 *       TransformResult#ok(byte[])} (Sluice hands each transform its own copy, so the error
 *       envelope keeps the original either way).
 * </ul>
 *
 * <p>It is an interface returning a value, not a {@code Collector}-based function, so that "forgot
 * to emit" cannot compile. One instance exists per parallel subtask; it need not be thread-safe.
 */
@PublicEvolving
@FunctionalInterface
public interface SluiceTransform extends Serializable {

    /**
     * @param record the Kinesis record: payload plus stream, shard, partition key, sequence number,
     *     arrival and event time
     * @return the outcome; never null
     * @throws Exception any failure, which becomes a ProcessingFailed for this record
     */
    TransformResult transform(SluiceRecord record) throws Exception;

    /** Called once per subtask before the first record: open clients, register metrics. */
    default void open(RuntimeContext runtimeContext) throws Exception {}

    /** Called once when the subtask ends. */
    default void close() throws Exception {}
}
