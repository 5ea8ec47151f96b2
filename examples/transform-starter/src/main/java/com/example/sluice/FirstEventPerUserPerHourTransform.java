package com.example.sluice;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;
import dev.sluice.operators.transform.keyed.TimerContext;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A stateful starter transform: the first event of each user in each hour of event time is Ok,
 * every later event of that user in that hour is Dropped. Sluice keys the stage by the user, so
 * this class sees one user's events at a time, with that user's state and timers.
 *
 * <ul>
 *   <li><b>State:</b> per user, the start of every hour whose first event has passed ({@code
 *       MapState<Long, Boolean>}, usually one entry).
 *   <li><b>Timer:</b> an event-time timer at the last millisecond of that hour. Once the watermark
 *       passes it, no event of that hour can still be on time, so the hour is forgotten: the state
 *       holds only open hours and does not grow with time.
 * </ul>
 *
 * <p>Configure it with {@code Transform class=com.example.sluice.FirstEventPerUserPerHourTransform}
 * and {@code key.field=user_id} (the payload field holding the user; a record without it goes to
 * {@code errors/processing-failed/} with code {@code Key.Missing}). The event time is the one
 * Sluice assigned ({@code EventTime field}, or the Kinesis arrival time). A record that arrives
 * after its hour was forgotten is late by the configured out-of-orderness: Sluice's {@code
 * late.records} setting decides whether it reaches the transform, and if it does it counts as the
 * first of its hour again.
 */
public class FirstEventPerUserPerHourTransform implements KeyedSluiceTransform {

    private static final long serialVersionUID = 1L;

    static final long HOUR_MS = 3_600_000L;

    /** The state's name: a savepoint finds the state by it, so keep it when you rename things. */
    static final String STATE_NAME = "first-event-hours";

    private transient MapState<Long, Boolean> hoursSeen;

    @Override
    public void open(RuntimeContext runtimeContext) {
        hoursSeen =
                runtimeContext.getMapState(
                        new MapStateDescriptor<>(STATE_NAME, Types.LONG, Types.BOOLEAN));
    }

    @Override
    public TransformResult transform(SluiceRecord record, KeyedContext context) throws Exception {
        long hour = Math.floorDiv(record.getEventTimestamp(), HOUR_MS) * HOUR_MS;
        if (hoursSeen.contains(hour)) {
            return TransformResult.dropped();
        }
        hoursSeen.put(hour, Boolean.TRUE);
        context.timerService().registerEventTimeTimer(hour + HOUR_MS - 1);
        return TransformResult.ok();
    }

    @Override
    public void onTimer(long timestamp, TimerContext context) throws Exception {
        hoursSeen.remove(timestamp + 1 - HOUR_MS);
    }
}
