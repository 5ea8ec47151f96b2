package dev.sluice.job.config;

import dev.sluice.job.config.SourceOptions.SourceType;

import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

import java.util.List;
import java.util.Properties;

/**
 * Which source reads the stream, as configured in {@value SourceOptions#GROUP}.
 *
 * @param type the connector source
 * @param streamName the stream's name, what every record's {@code stream} field holds
 * @param streamArn the stream's ARN for {@link SourceType#FLIP27}; null for the other types
 */
public record SourceSettings(SourceType type, String streamName, String streamArn) {

    /** Connector keys the typed keys set; giving them directly is an error. */
    private static final List<String> OWNED_CONNECTOR_KEYS =
            List.of(
                    ConsumerConfigConstants.RECORD_PUBLISHER_TYPE,
                    ConsumerConfigConstants.EFO_CONSUMER_NAME,
                    ConsumerConfigConstants.EFO_REGISTRATION_TYPE);

    /**
     * Reads the group's typed source keys and adds the connector keys they stand for to {@code
     * consumerProperties}.
     */
    static SourceSettings read(PropertyGroup source, Properties consumerProperties) {
        for (String key : OWNED_CONNECTOR_KEYS) {
            if (consumerProperties.containsKey(key)) {
                throw new InvalidConfigurationException(
                        "Property group '"
                                + source.groupId()
                                + "' sets '"
                                + key
                                + "'; set '"
                                + SourceOptions.SOURCE_TYPE.key()
                                + "' and the 'efo.*' keys instead");
            }
        }
        String streamName = source.require(SourceOptions.STREAM_NAME);
        SourceType type = source.get(SourceOptions.SOURCE_TYPE);
        String streamArn = null;
        switch (type) {
            case EFO:
                consumerProperties.setProperty(
                        ConsumerConfigConstants.RECORD_PUBLISHER_TYPE,
                        ConsumerConfigConstants.RecordPublisherType.EFO.name());
                consumerProperties.setProperty(
                        ConsumerConfigConstants.EFO_CONSUMER_NAME,
                        source.require(SourceOptions.EFO_CONSUMER_NAME));
                consumerProperties.setProperty(
                        ConsumerConfigConstants.EFO_REGISTRATION_TYPE,
                        source.get(SourceOptions.EFO_REGISTRATION).name());
                break;
            case FLIP27:
                streamArn = source.require(SourceOptions.STREAM_ARN);
                if (!streamArn.startsWith("arn:") || !streamArn.endsWith(":stream/" + streamName)) {
                    throw new InvalidConfigurationException(
                            "Property group '"
                                    + source.groupId()
                                    + "' key '"
                                    + SourceOptions.STREAM_ARN.key()
                                    + "' must be the ARN of stream '"
                                    + streamName
                                    + "' (arn:aws:kinesis:<region>:<account>:stream/"
                                    + streamName
                                    + ")");
                }
                break;
            default:
                break;
        }
        return new SourceSettings(type, streamName, streamArn);
    }
}
