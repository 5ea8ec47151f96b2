package dev.sluice.operators.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.BufferRecycler;

/**
 * A {@link JsonFactory} whose parsers take their buffers from one {@link BufferRecycler} held by
 * the factory, instead of Jackson's default of one per thread found through a {@code ThreadLocal}.
 *
 * <p>Why: Sluice opens a parser per record up to three times (event time, the {@code json} check,
 * the staging encoder), all on the source's threads. In a profile of the pipeline the {@code
 * ThreadLocal} lookup behind each of them was 4 % of the job's CPU, more than the parsing it
 * served: Flink's task threads carry many thread-locals, so the lookup walks a long probe chain.
 * Holding the recycler in the factory costs one atomic swap per buffer instead.
 *
 * <p>Safe from any number of threads: {@link BufferRecycler} hands out and takes back each buffer
 * with an atomic swap, so two parsers never share one; a parser that finds its slot empty, because
 * another thread's parser holds the buffer at that moment, allocates a fresh one (Jackson's own
 * behaviour for a first use).
 */
final class SharedRecyclerJsonFactory extends JsonFactory {

    private static final long serialVersionUID = 1L;

    private final transient BufferRecycler recycler = new BufferRecycler();

    SharedRecyclerJsonFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    private SharedRecyclerJsonFactory(SharedRecyclerJsonFactory source) {
        super(source, null);
    }

    @Override
    public BufferRecycler _getBufferRecycler() {
        return recycler;
    }

    @Override
    public JsonFactory copy() {
        return new SharedRecyclerJsonFactory(this);
    }

    /** Jackson's own would come back from Java serialization as a plain factory. */
    @Override
    protected Object readResolve() {
        return new SharedRecyclerJsonFactory(this);
    }
}
