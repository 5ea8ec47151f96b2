package dev.sluice.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A local Kinesis Data Streams API on 127.0.0.1, speaking plain HTTP.
 *
 * <p>Two implementations because neither emulator covers everything Sluice exercises: {@link
 * KinesaliteServer} is fast and is the default; {@link KinesisLocalServer} (kinesis-mock) also
 * implements Enhanced Fan-Out, UpdateShardCount and what the FLIP-27 {@code KinesisStreamsSource}
 * needs, but slows down as streams grow. Pick one with {@link Kind}.
 *
 * <p>Clients must sign requests (any signature is accepted) for {@link #region()} with {@link
 * #accessKey()}/{@link #secretKey()}. SDK v2 clients talking to kinesalite must have CBOR disabled;
 * {@link KinesisStreams} takes care of that for the clients it creates.
 */
public interface KinesisEmulator extends AutoCloseable {

    /** {@code http://127.0.0.1:<port>}. */
    String endpoint();

    String region();

    String accessKey();

    String secretKey();

    /** The emulator's process, e.g. for its PID or log. */
    ManagedProcess process();

    /** Stops the emulator; its streams are gone with it. */
    @Override
    void close();

    /**
     * The Flink Kinesis connector properties ({@code AWSConfigConstants} keys) that point a
     * consumer or producer at this emulator with basic credentials. Plain strings, so this module
     * needs no Flink dependency. With kinesalite, Flink's relocated SDK v1 additionally needs CBOR
     * off ({@code AWS_CBOR_DISABLE=true} or {@code
     * -Dorg.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor=true}).
     */
    default Map<String, String> flinkConnectorProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("aws.endpoint", endpoint());
        properties.put("aws.region", region());
        properties.put("aws.credentials.provider", "BASIC");
        properties.put("aws.credentials.provider.basic.accesskeyid", accessKey());
        properties.put("aws.credentials.provider.basic.secretkey", secretKey());
        return properties;
    }

    /** The available emulators. */
    enum Kind {
        KINESALITE {
            @Override
            public KinesisEmulator start(Path workDir) {
                return KinesaliteServer.start(workDir);
            }
        },
        KINESIS_LOCAL {
            @Override
            public KinesisEmulator start(Path workDir) {
                return KinesisLocalServer.start(workDir);
            }
        };

        /** Starts this emulator on a free port, logging to {@code workDir/logs}. */
        public abstract KinesisEmulator start(Path workDir);
    }
}
