package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;

import org.apache.flink.api.common.functions.RuntimeContext;

import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

/**
 * A {@link KeyedSluiceTransform} as one step of a {@link ChainedTransform}: the {@link
 * KeyedTransformFunction} running the chain binds it to the current key's context when it opens.
 * Outside a keyed stage it refuses to run, because its state would have no key.
 */
public final class KeyedStep implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    private final KeyedSluiceTransform delegate;

    private transient KeyedContext context;

    public KeyedStep(KeyedSluiceTransform delegate) {
        this.delegate = checkNotNull(delegate, "delegate");
    }

    public KeyedSluiceTransform delegate() {
        return delegate;
    }

    void bind(KeyedContext context) {
        this.context = context;
    }

    @Override
    public void open(RuntimeContext runtimeContext) throws Exception {
        delegate.open(runtimeContext);
    }

    @Override
    public TransformResult transform(SluiceRecord record) throws Exception {
        checkState(
                context != null,
                "%s is keyed and runs only in a keyed transform stage",
                delegate.getClass().getName());
        return delegate.transform(record, context);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
