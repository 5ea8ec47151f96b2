package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.functions.RuntimeContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Runs transforms one after another, like a Unix pipe: each Ok payload is the next step's input,
 * and the first Dropped or ProcessingFailed ends the chain for that record. Partition keys of all
 * steps are merged (a later step wins on the same key).
 */
public final class ChainedTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    private final List<SluiceTransform> steps;

    public ChainedTransform(List<SluiceTransform> steps) {
        checkArgument(steps != null, "steps");
        this.steps = List.copyOf(steps);
    }

    public List<SluiceTransform> steps() {
        return steps;
    }

    @Override
    public void open(RuntimeContext runtimeContext) throws Exception {
        for (SluiceTransform step : steps) {
            step.open(runtimeContext);
        }
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (SluiceTransform step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public TransformResult transform(SluiceRecord record) throws Exception {
        SluiceRecord current = record;
        boolean rewritten = false;
        Map<String, String> keys = new LinkedHashMap<>();
        for (SluiceTransform step : steps) {
            TransformResult result = step.transform(current);
            if (result == null) {
                return TransformResult.processingFailed(
                        ErrorCodes.NO_OUTCOME,
                        "transform " + step.getClass().getName() + " returned null");
            }
            if (!(result instanceof TransformResult.Ok ok)) {
                return result;
            }
            if (ok.rewritesData()) {
                current = current.withData(ok.data());
                rewritten = true;
            }
            keys.putAll(ok.partitionKeys());
        }
        return new TransformResult.Ok(rewritten ? current.getData() : null, keys);
    }

    @Override
    public String toString() {
        return "ChainedTransform" + steps;
    }
}
