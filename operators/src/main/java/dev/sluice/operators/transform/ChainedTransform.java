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
            TransformResult result;
            try {
                result = step.transform(current);
            } catch (Exception | StackOverflowError e) {
                throw new StepException(step, e);
            }
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

    /**
     * An exception thrown by one step, carrying the step so logs can name the transform that threw
     * rather than the chain. {@link TransformFunction} unwraps it: the error envelope names the
     * original exception.
     */
    static final class StepException extends Exception {

        private static final long serialVersionUID = 1L;

        private final String stepClass;

        StepException(SluiceTransform step, Throwable cause) {
            super(cause);
            this.stepClass = step.getClass().getName();
        }

        String stepClass() {
            return stepClass;
        }

        Throwable original() {
            return getCause();
        }
    }
}
