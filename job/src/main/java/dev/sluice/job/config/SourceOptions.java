package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants.EFORegistrationType;

import java.util.List;

/**
 * Property group {@value #GROUP}: the Kinesis data stream to read, and which of the connector's
 * sources reads it.
 *
 * <p>Besides the keys below, every key starting with {@code aws.} or {@code flink.} is handed to
 * Flink's Kinesis connector as is (region, endpoint, credentials provider, initial position, …), so
 * the keys users already know from the connector's documentation and MSF examples keep working; the
 * connector validates them when the job is built. The connector keys that choose the record
 * publisher and the EFO consumer are set from the typed keys below instead, and rejected if given
 * directly (see docs/sources.md).
 */
public final class SourceOptions {

    public static final String GROUP = "KinesisSource";

    public static final ConfigOption<String> STREAM_NAME =
            ConfigOptions.key("stream.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Name of the Kinesis data stream to read (required).");

    public static final ConfigOption<SourceType> SOURCE_TYPE =
            ConfigOptions.key("source.type")
                    .enumType(SourceType.class)
                    .defaultValue(SourceType.POLLING)
                    .withDescription(
                            "POLLING: FlinkKinesisConsumer reading with GetRecords. EFO: the same"
                                    + " consumer reading through an enhanced fan-out consumer"
                                    + " (SubscribeToShard); POLLING and EFO share their state, so"
                                    + " switching between them restores from a savepoint. FLIP27:"
                                    + " the connector's KinesisStreamsSource (polling); its state"
                                    + " is not compatible with the other two, so switching to or"
                                    + " from it needs a start without state.");

    public static final ConfigOption<String> STREAM_ARN =
            ConfigOptions.key("stream.arn")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "FLIP27: ARN of the stream (arn:aws:kinesis:<region>:<account>:stream/"
                                    + "<stream.name>), which that source is addressed by"
                                    + " (required for FLIP27, ignored otherwise).");

    public static final ConfigOption<String> EFO_CONSUMER_NAME =
            ConfigOptions.key("efo.consumer.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "EFO: name of the stream consumer, unique per stream and at most 128"
                                    + " characters (required for EFO).");

    public static final ConfigOption<EFORegistrationType> EFO_REGISTRATION =
            ConfigOptions.key("efo.registration")
                    .enumType(EFORegistrationType.class)
                    .defaultValue(EFORegistrationType.LAZY)
                    .withDescription(
                            "EFO: who registers the stream consumer (reusing one of that name if it"
                                    + " exists). LAZY: each subtask when the job starts, and"
                                    + " deregistered when the job shuts down gracefully. EAGER:"
                                    + " the client or JobManager building the job, never"
                                    + " deregistered. NONE: registered outside Sluice, never"
                                    + " deregistered; give its ARN as"
                                    + " flink.stream.efo.consumerarn.<stream.name>.");

    public static final List<ConfigOption<?>> ALL =
            List.of(STREAM_NAME, SOURCE_TYPE, STREAM_ARN, EFO_CONSUMER_NAME, EFO_REGISTRATION);

    /** Prefixes of the Kinesis connector's own keys, passed through unread. */
    public static final List<String> CONNECTOR_PREFIXES = List.of("aws.", "flink.");

    /** Which of the connector's sources reads the stream. */
    public enum SourceType {
        POLLING,
        EFO,
        FLIP27
    }

    private SourceOptions() {}
}
