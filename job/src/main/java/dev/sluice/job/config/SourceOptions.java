package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Property group {@value #GROUP}: the Kinesis data stream to read.
 *
 * <p>Besides the keys below, every key starting with {@code aws.} or {@code flink.} is handed to
 * Flink's Kinesis consumer as is (region, endpoint, credentials provider, initial position, …), so
 * the keys users already know from the connector's documentation and MSF examples keep working; the
 * connector validates them when the job is built.
 */
public final class SourceOptions {

    public static final String GROUP = "KinesisSource";

    public static final ConfigOption<String> STREAM_NAME =
            ConfigOptions.key("stream.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Name of the Kinesis data stream to read (required).");

    public static final List<ConfigOption<?>> ALL = List.of(STREAM_NAME);

    /** Prefixes of the Kinesis connector's own keys, passed through unread. */
    public static final List<String> CONNECTOR_PREFIXES = List.of("aws.", "flink.");

    private SourceOptions() {}
}
