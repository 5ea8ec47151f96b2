package dev.sluice.job;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;
import dev.sluice.operators.transform.keyed.TimerContext;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A keyed user transform for {@link DedupAndKeyedTransformITCase}, keyed by {@code user_id}: every
 * event is Ok as it is, and is counted in keyed state; a processing-time timer {@value #DELAY_MS}
 * ms after a user's first counted event emits a summary row ({@code event_type = 'summary'}, {@code
 * page_url = 'count:<n>'}, {@code event_id = 'summary-<user>-<i>'}) and starts the count again.
 *
 * <p>Since {@code dedup} runs before it, a repeat never reaches the count: the summaries' counts
 * add up to the distinct events.
 */
public class EventsPerUserTransform implements KeyedSluiceTransform {

    private static final long serialVersionUID = 1L;

    static final long DELAY_MS = 1_000L;
    static final String SUMMARY = "summary";

    private transient ValueState<Long> count;
    private transient ValueState<Integer> summaries;
    private transient ValueState<SluiceRecord> first;

    @Override
    public void open(RuntimeContext runtimeContext) {
        count = runtimeContext.getState(new ValueStateDescriptor<>("count", Types.LONG));
        summaries = runtimeContext.getState(new ValueStateDescriptor<>("summaries", Types.INT));
        first =
                runtimeContext.getState(
                        new ValueStateDescriptor<>("first", SluiceRecord.TYPE_INFO));
    }

    @Override
    public TransformResult transform(SluiceRecord record, KeyedContext context) throws Exception {
        Long n = count.value();
        if (n == null) {
            first.update(record);
            context.timerService()
                    .registerProcessingTimeTimer(
                            context.timerService().currentProcessingTime() + DELAY_MS);
            n = 0L;
        }
        count.update(n + 1);
        return TransformResult.ok();
    }

    @Override
    public void onTimer(long timestamp, TimerContext context) throws Exception {
        Long n = count.value();
        if (n == null) {
            return;
        }
        int i = summaries.value() == null ? 1 : summaries.value() + 1;
        String user = context.currentKey();
        String json =
                String.format(
                        "{\"event_id\":\"summary-%s-%d\",\"user_id\":\"%s\",\"event_type\":\"%s\","
                                + "\"page_url\":\"count:%d\",\"event_timestamp\":\"%s\","
                                + "\"user_agent\":\"EventsPerUserTransform\"}",
                        user, i, user, SUMMARY, n, Instant.ofEpochMilli(timestamp));
        context.emit(first.value().withData(json.getBytes(StandardCharsets.UTF_8)));
        summaries.update(i);
        count.clear();
        first.clear();
    }
}
