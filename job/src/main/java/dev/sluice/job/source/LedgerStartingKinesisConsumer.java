package dev.sluice.job.source;

import dev.sluice.operators.source.position.ResumePositions;

import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.model.SequenceNumber;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardMetadata;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import org.apache.flink.streaming.connectors.kinesis.util.KinesisStateUtil;

import java.util.Properties;

/**
 * The legacy {@code FlinkKinesisConsumer} (POLLING and EFO) that asks the ledger where a start
 * without Flink state begins ({@link LedgerStartPosition}) when its subtask starts running, not
 * when the job is built.
 *
 * <h2>Why not at job submission</h2>
 *
 * <p>Reading the ledger in the job's {@code main} method made the warehouse a condition of
 * submitting the job: an outage at a (re)deployment failed the submission, which nothing retries.
 * Here the read happens in {@link #run}, so a warehouse that cannot be reached fails the task, and
 * Flink's restart strategy tries again, as it does for every other task that needs the warehouse
 * ({@code SourcePositionFilter}, the loader). A subtask whose restored state holds positions of the
 * stream does not read the ledger at all: the state's positions win. A restore that holds none of
 * them (a savepoint of the FLIP-27 source restored with {@code allowNonRestoredState}) is a start
 * without state for this consumer, and reads it.
 *
 * <h2>How the start position reaches the consumer</h2>
 *
 * <p>The consumer reads {@code flink.stream.initpos} and its timestamp from its properties in
 * {@code run()}, for shards without restored state. This class keeps a reference to the very {@link
 * Properties} object the consumer holds (Java serialization keeps the two references one object in
 * each subtask's copy) and rewrites it before {@code run()} starts.
 */
final class LedgerStartingKinesisConsumer<T> extends FlinkKinesisConsumer<T> {

    private static final long serialVersionUID = 1L;

    private final String stream;
    private final Properties properties;
    private final ResumePositions ledger;

    /** The consumer's own state (its name is fixed by the connector), read to see what it holds. */
    private static final String CONSUMER_STATE = "Kinesis-Stream-Shard-State";

    private transient boolean restoredThisStream;

    LedgerStartingKinesisConsumer(
            String stream,
            KinesisDeserializationSchema<T> deserializer,
            Properties properties,
            ResumePositions ledger) {
        super(stream, deserializer, properties);
        this.stream = stream;
        this.properties = properties;
        this.ledger = ledger;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        super.initializeState(context);
        restoredThisStream = false;
        if (context.isRestored()) {
            // The same union state the consumer registered, with the same serializer.
            for (Tuple2<StreamShardMetadata, SequenceNumber> shard :
                    context.getOperatorStateStore()
                            .getUnionListState(
                                    new ListStateDescriptor<>(
                                            CONSUMER_STATE,
                                            KinesisStateUtil.createShardsStateSerializer(
                                                    getRuntimeContext().getExecutionConfig())))
                            .get()) {
                restoredThisStream |= stream.equals(shard.f0.getStreamName());
            }
        }
    }

    @Override
    public void run(SourceContext<T> sourceContext) throws Exception {
        if (!restoredThisStream) {
            Properties start = LedgerStartPosition.apply(properties, stream, ledger);
            if (start != properties) {
                properties.clear();
                properties.putAll(start);
            }
        }
        super.run(sourceContext);
    }
}
