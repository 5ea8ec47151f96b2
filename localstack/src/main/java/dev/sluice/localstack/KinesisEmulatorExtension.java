package dev.sluice.localstack;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Starts one {@link KinesisEmulator} per test class (kinesalite unless told otherwise), with a
 * {@link KinesisStreams} client for it, and stops both afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();
 * ...
 * KINESIS.streams().createStream("orders", 4);
 * KINESIS.streams().producer().putAll("orders", records);
 * }</pre>
 *
 * <p>Streams outlive individual tests: give each test its own stream name. A test class annotated
 * {@link UseKinesisEmulator} gets that emulator from an extension created without a kind.
 */
public final class KinesisEmulatorExtension implements BeforeAllCallback, AfterAllCallback {

    private final KinesisEmulator.Kind declaredKind;
    private KinesisEmulator.Kind kind;
    private Path workDir;
    private KinesisEmulator emulator;
    private KinesisStreams streams;

    /** kinesalite, the fast default, unless the test class says {@link UseKinesisEmulator}. */
    public KinesisEmulatorExtension() {
        this.declaredKind = null;
        this.kind = KinesisEmulator.Kind.KINESALITE;
    }

    public KinesisEmulatorExtension(KinesisEmulator.Kind kind) {
        this.declaredKind = Objects.requireNonNull(kind, "kind");
        this.kind = kind;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (declaredKind == null) {
            UseKinesisEmulator use =
                    context.getRequiredTestClass().getAnnotation(UseKinesisEmulator.class);
            kind = use == null ? KinesisEmulator.Kind.KINESALITE : use.value();
        }
        workDir = TempDirectories.create("sluice-" + kind.name().toLowerCase() + "-");
        emulator = kind.start(workDir);
        streams = KinesisStreams.connect(emulator);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (streams != null) {
                streams.close();
            }
        } finally {
            try {
                if (emulator != null) {
                    emulator.close();
                }
            } finally {
                streams = null;
                emulator = null;
                TempDirectories.deleteQuietly(workDir);
                workDir = null;
            }
        }
    }

    public KinesisEmulator.Kind kind() {
        return kind;
    }

    /** The running emulator; only valid between {@code beforeAll} and {@code afterAll}. */
    public KinesisEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException(
                    "The Kinesis emulator is not running: register the extension as a static field"
                            + " with @RegisterExtension");
        }
        return emulator;
    }

    public KinesisStreams streams() {
        emulator();
        return streams;
    }

    public String endpoint() {
        return emulator().endpoint();
    }

    public String region() {
        return emulator().region();
    }

    public String accessKey() {
        return emulator().accessKey();
    }

    public String secretKey() {
        return emulator().secretKey();
    }

    public Map<String, String> flinkConnectorProperties() {
        return emulator().flinkConnectorProperties();
    }
}
