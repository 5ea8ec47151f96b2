package dev.sluice.operators.transform.keyed;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.RuntimeContext;

import java.io.Serializable;

/**
 * A stateful transform: like {@link dev.sluice.operators.transform.SluiceTransform} it decides one
 * of Firehose's three outcomes for every record, and in addition it gets Flink keyed state and
 * timers for the record's key.
 *
 * <p>Name the class in the {@code Transform} group's {@code class} and key the stage with {@code
 * key.field} (a payload field path) or {@code key.selector} (a {@code KeySelector<SluiceRecord,
 * String>} class). Sluice then inserts a {@code keyBy} before the transform stage, so all records
 * of one key reach the same subtask and see the same state. A keyed transform must be the last step
 * of the chain: records it emits from timers are delivered as they are.
 *
 * <h2>The contract</h2>
 *
 * <ul>
 *   <li>{@link #transform} returns an outcome for every record, exactly as {@code SluiceTransform}
 *       does: Ok, Dropped or ProcessingFailed; an exception or {@code null} is a ProcessingFailed.
 *       A transform that holds a record in state to emit it later returns {@code Dropped} for it.
 *   <li>{@link #onTimer} may emit records ({@link TimerContext#emit}, counted as Ok) and failures
 *       ({@link TimerContext#fail}); an exception thrown there fails the task (there is no record
 *       to send to the errors prefix), and Flink restarts from the last checkpoint.
 *   <li>State is checkpointed with the job: it survives failures, restores and rescaling (key
 *       groups move between subtasks with their state). Give state a TTL ({@link
 *       org.apache.flink.api.common.state.StateTtlConfig}) or clear it from a timer, or it grows
 *       with the number of keys for ever.
 * </ul>
 *
 * <p>Create state handles in {@link #open} from the runtime context (they are keyed: every access
 * reads and writes the current record's key) or through the context's getters. One instance exists
 * per parallel subtask; it need not be thread-safe.
 */
@PublicEvolving
public interface KeyedSluiceTransform extends Serializable {

    /** Called once per subtask before the first record: create state handles, register metrics. */
    default void open(RuntimeContext runtimeContext) throws Exception {}

    /**
     * @param record the Kinesis record, with its own copy of the payload
     * @param context the record's key, keyed state and timers
     * @return the outcome; never null
     * @throws Exception any failure, which becomes a ProcessingFailed for this record
     */
    TransformResult transform(SluiceRecord record, KeyedContext context) throws Exception;

    /**
     * A timer registered through {@link KeyedContext#timerService()} fired; the current key is the
     * key it was registered for.
     */
    default void onTimer(long timestamp, TimerContext context) throws Exception {}

    /** Called once when the subtask ends. */
    default void close() throws Exception {}
}
