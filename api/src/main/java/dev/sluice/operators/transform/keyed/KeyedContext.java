package dev.sluice.operators.transform.keyed;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimerService;

/**
 * What a {@link KeyedSluiceTransform} sees of the current key: the key itself, its state and
 * timers.
 */
@PublicEvolving
public interface KeyedContext {

    /**
     * The current key as the stage's key selector produced it (the field's value for {@code
     * key.field}); null for a record without a key that {@code dedup.missing.key=PASS} lets
     * through.
     */
    String currentKey();

    /**
     * Timers for the current key: {@code registerEventTimeTimer} fires once the watermark passes
     * the time, {@code registerProcessingTimeTimer} once the wall clock does. Timers are
     * checkpointed with the state; registering the same time twice fires once.
     */
    TimerService timerService();

    /** Keyed value state of the current key (the same handle for the same descriptor name). */
    <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor);

    /** Keyed map state of the current key. */
    <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor);

    /** Keyed list state of the current key. */
    <T> ListState<T> getListState(ListStateDescriptor<T> descriptor);
}
