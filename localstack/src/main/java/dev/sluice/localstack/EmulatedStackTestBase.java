package dev.sluice.localstack;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stand-ins a whole-job test runs against, started once per test class in this order and
 * stopped after it: embedded PostgreSQL, S3Proxy, and a Kinesis emulator (kinesalite unless the
 * class says {@link UseKinesisEmulator}).
 *
 * <p>A subclass adds the Flink it runs on — a MiniCluster or a {@link FlinkSessionClusterExtension}
 * — as a static extension at {@link #FLINK_ORDER}, so Flink starts after, and stops before, the
 * stack its job reads and writes:
 *
 * <pre>{@code
 * class MyITCase extends EmulatedStackTestBase {
 *     @RegisterExtension
 *     @Order(FLINK_ORDER)
 *     static final MiniClusterExtension MINI_CLUSTER = ...;
 * }
 * }</pre>
 *
 * <p>The extensions are static fields of this class, shared by its subclasses; each starts afresh
 * for every test class, so test classes run one after another (as failsafe runs them here) and keep
 * their streams, buckets and schemas apart by name.
 */
public abstract class EmulatedStackTestBase {

    /** The {@link Order} a subclass gives its Flink extension: after the stack. */
    protected static final int FLINK_ORDER = 4;

    @RegisterExtension
    @Order(1)
    protected static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    protected static final S3ProxyExtension S3 = new S3ProxyExtension();

    @RegisterExtension
    @Order(3)
    protected static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

    /**
     * Sets what this JVM's AWS SDK v1 clients (the Flink Kinesis connector's relocated one) need
     * against the stack: kinesalite speaks JSON only, so no CBOR; and no deprecation announcement
     * from SDK v1, which Hadoop's S3A still loads.
     */
    @BeforeAll
    static void configureTheAwsClientsForTheStack() {
        System.setProperty("org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor", "true");
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
    }
}
