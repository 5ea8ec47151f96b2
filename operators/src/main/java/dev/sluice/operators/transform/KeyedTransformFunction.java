package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;
import dev.sluice.operators.transform.keyed.TimerContext;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The transform stage on a stream keyed by a {@link StageKey}: the same outcome contract as {@link
 * TransformFunction} (every record ends in Ok, Dropped or ProcessingFailed, counted the same way),
 * plus keyed state and timers for the chain's {@link KeyedStep}s ({@code dedup}, a user's {@link
 * KeyedSluiceTransform}).
 *
 * <p>A record without a key is a ProcessingFailed with {@link #MISSING_KEY} before any step runs,
 * unless the key's policy is {@link MissingKeyPolicy#PASS}. Timers go to the chain's last step when
 * it is a keyed user transform; what it emits is counted and routed like any outcome.
 */
public class KeyedTransformFunction
        extends KeyedProcessFunction<String, SluiceRecord, SluiceRecord> {

    private static final long serialVersionUID = 1L;

    /** Error code of a record the stage's key selector found no key in. */
    public static final String MISSING_KEY = "Key.Missing";

    private final TransformStage stage;
    private final StageKey key;

    private transient Binding binding;
    private transient CollectorOutputs currentOutputs;
    private transient KeyedSluiceTransform timerStep;

    KeyedTransformFunction(TransformStage stage, StageKey key) {
        this.stage = checkNotNull(stage, "stage");
        this.key = checkNotNull(key, "key");
        List<SluiceTransform> steps = steps(stage.transform());
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i) instanceof KeyedStep keyed
                    && !(keyed.delegate() instanceof StatelessTimers)) {
                throw new IllegalArgumentException(
                        "keyed transform "
                                + keyed
                                + " must be the last step of the chain: records its timers emit"
                                + " are delivered as they are");
            }
        }
    }

    /**
     * Marks a keyed step that registers no timers (such as {@code dedup}), so it may sit anywhere
     * in the chain.
     */
    public interface StatelessTimers {}

    private static List<SluiceTransform> steps(SluiceTransform transform) {
        return transform instanceof ChainedTransform chain ? chain.steps() : List.of(transform);
    }

    public StageKey key() {
        return key;
    }

    /** The chain the stage runs. */
    public SluiceTransform transform() {
        return stage.transform();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        binding = new Binding();
        currentOutputs = new CollectorOutputs();
        for (SluiceTransform step : steps(stage.transform())) {
            if (step instanceof KeyedStep keyed) {
                keyed.bind(binding);
                timerStep = keyed.delegate();
            }
        }
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
        String flinkKey = ctx.getCurrentKey();
        TransformResult decided =
                StageKey.isMissing(flinkKey)
                                && key.missingKey() == MissingKeyPolicy.PROCESSING_FAILED
                        ? TransformResult.processingFailed(
                                MISSING_KEY, "the record has no " + key + " to key the stage by")
                        : null;
        binding.on(flinkKey, ctx.timerService(), currentOutputs.to(out, ctx::output), null);
        stage.process(
                record,
                ctx.timestamp(),
                ctx.timerService().currentWatermark(),
                ctx.timerService().currentProcessingTime(),
                binding.outputs,
                decided);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SluiceRecord> out)
            throws Exception {
        if (timerStep == null) {
            return;
        }
        binding.on(
                ctx.getCurrentKey(),
                ctx.timerService(),
                currentOutputs.to(out, ctx::output),
                ctx.timeDomain());
        timerStep.onTimer(timestamp, binding);
    }

    /** The context the keyed steps see; rebound to Flink's context for each record and timer. */
    private final class Binding implements TimerContext {

        private String flinkKey;
        private TimerService timerService;
        private TransformStage.Outputs outputs;
        private TimeDomain timeDomain;

        void on(
                String flinkKey,
                TimerService timerService,
                TransformStage.Outputs outputs,
                TimeDomain timeDomain) {
            this.flinkKey = flinkKey;
            this.timerService = timerService;
            this.outputs = outputs;
            this.timeDomain = timeDomain;
        }

        @Override
        public String currentKey() {
            return StageKey.userKey(flinkKey);
        }

        @Override
        public TimerService timerService() {
            return timerService;
        }

        @Override
        public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
            return getRuntimeContext().getState(descriptor);
        }

        @Override
        public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
            return getRuntimeContext().getMapState(descriptor);
        }

        @Override
        public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
            return getRuntimeContext().getListState(descriptor);
        }

        @Override
        public TimeDomain timeDomain() {
            return timeDomain;
        }

        @Override
        public void emit(SluiceRecord record) {
            checkNotNull(record, "record");
            stage.route(
                    record, TransformResult.ok(), timerService.currentProcessingTime(), outputs);
        }

        @Override
        public void fail(SluiceRecord record, String errorCode, String errorMessage) {
            checkNotNull(record, "record");
            stage.route(
                    record,
                    TransformResult.processingFailed(errorCode, errorMessage),
                    timerService.currentProcessingTime(),
                    outputs);
        }
    }
}
