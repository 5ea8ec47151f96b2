package dev.sluice.job.source;

import dev.sluice.operators.source.position.ResumePositions;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.enumerator.KinesisStreamsSourceEnumeratorState;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.connector.kinesis.source.split.KinesisShardSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.util.Properties;

/**
 * The FLIP-27 {@code KinesisStreamsSource} whose enumerator asks the ledger where a start without
 * Flink state begins ({@link LedgerStartPosition}) when it is created on the JobManager, not when
 * the job is built.
 *
 * <p>Why: see {@link LedgerStartingKinesisConsumer}. A failed read in {@link #createEnumerator}
 * fails the job through its source coordinator, and the restart strategy tries again; {@link
 * #restoreEnumerator} (a restore with Flink state) never reads the ledger, as the restored splits
 * carry their positions. The reader and the serializers do not depend on the start position and
 * come from the source as configured.
 */
final class LedgerStartingKinesisStreamsSource<T>
        implements Source<T, KinesisShardSplit, KinesisStreamsSourceEnumeratorState> {

    private static final long serialVersionUID = 1L;

    private final String streamArn;
    private final String stream;
    private final Properties properties;
    private final KinesisDeserializationSchema<T> deserializer;
    private final ResumePositions ledger;

    LedgerStartingKinesisStreamsSource(
            String streamArn,
            String stream,
            Properties properties,
            KinesisDeserializationSchema<T> deserializer,
            ResumePositions ledger) {
        this.streamArn = streamArn;
        this.stream = stream;
        this.properties = properties;
        this.deserializer = deserializer;
        this.ledger = ledger;
        configured(); // Let the connector's builder validate now, at job construction.
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, KinesisShardSplit> createReader(SourceReaderContext context)
            throws Exception {
        return configured().createReader(context);
    }

    @Override
    public SplitEnumerator<KinesisShardSplit, KinesisStreamsSourceEnumeratorState> createEnumerator(
            SplitEnumeratorContext<KinesisShardSplit> context) throws Exception {
        return source(LedgerStartPosition.apply(properties, stream, ledger))
                .createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KinesisShardSplit, KinesisStreamsSourceEnumeratorState>
            restoreEnumerator(
                    SplitEnumeratorContext<KinesisShardSplit> context,
                    KinesisStreamsSourceEnumeratorState checkpoint)
                    throws Exception {
        return configured().restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<KinesisShardSplit> getSplitSerializer() {
        return configured().getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KinesisStreamsSourceEnumeratorState>
            getEnumeratorCheckpointSerializer() {
        return configured().getEnumeratorCheckpointSerializer();
    }

    private KinesisStreamsSource<T> configured() {
        return source(properties);
    }

    private KinesisStreamsSource<T> source(Properties connectorProperties) {
        Configuration sourceConfig = new Configuration();
        connectorProperties
                .stringPropertyNames()
                .forEach(k -> sourceConfig.setString(k, connectorProperties.getProperty(k)));
        return KinesisStreamsSource.<T>builder()
                .setStreamArn(streamArn)
                .setSourceConfig(sourceConfig)
                .setDeserializationSchema(deserializer)
                .build();
    }
}
