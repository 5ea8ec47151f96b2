package dev.sluice.tools.chaos;

import dev.sluice.localstack.FlinkRestClient;
import dev.sluice.localstack.FlinkSessionCluster;
import dev.sluice.localstack.KinesaliteServer;
import dev.sluice.localstack.KinesisStreams;
import dev.sluice.localstack.PostgresServer;
import dev.sluice.localstack.S3ProxyServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the chaos runs share, started once: PostgreSQL, S3Proxy and a kinesalite that keeps its
 * streams on disk, each a process of its own that a {@link FaultInjector} can end and start again
 * on the same port; a standalone Flink session cluster (a JobManager and a TaskManager JVM, S3
 * through the {@code s3-fs-hadoop} plugin); and the shaded job jar, uploaded once.
 *
 * <p>The cluster's configuration is what a user's would be: checkpoints in the staging bucket, and
 * no restart strategy, so Flink 1.19's default for a checkpointed job applies (exponential-delay:
 * from 1 s, ×1.5 per failure up to 1 min, ±10 % jitter, no limit on attempts; FLIP-364, values read
 * from flink-core 1.19.3's {@code RestartStrategyOptions}). Every recovery in a run is the job's
 * own. A fixed 2-s delay, tried first, spent 24 restarts failing for want of slots while a new
 * TaskManager took 58 s to register on the loaded machine.
 */
final class ChaosStack implements AutoCloseable {

    static final String BUCKET = "sluice-chaos";

    final PostgresServer postgres;
    final S3ProxyServer s3;
    final KinesaliteServer kinesis;
    final KinesisStreams streams;
    final FlinkSessionCluster cluster;
    final String jarId;

    private ChaosStack(
            PostgresServer postgres,
            S3ProxyServer s3,
            KinesaliteServer kinesis,
            KinesisStreams streams,
            FlinkSessionCluster cluster,
            String jarId) {
        this.postgres = postgres;
        this.s3 = s3;
        this.kinesis = kinesis;
        this.streams = streams;
        this.cluster = cluster;
        this.jarId = jarId;
    }

    /** Starts everything under {@code workDir} (which must be empty or absent). */
    static ChaosStack start(Path workDir, Path jobJar, int slots) throws Exception {
        // kinesalite speaks JSON only; this JVM's SDK v2 client must not use CBOR either.
        System.setProperty("aws.cborEnabled", "false");
        Files.createDirectories(workDir);
        PostgresServer postgres = null;
        S3ProxyServer s3 = null;
        KinesaliteServer kinesis = null;
        KinesisStreams streams = null;
        try {
            postgres = PostgresServer.start();
            s3 = S3ProxyServer.start(workDir.resolve("s3"));
            kinesis = KinesaliteServer.startPersistent(workDir.resolve("kinesis"));
            streams = KinesisStreams.connect(kinesis);
            s3.createBucket(BUCKET);
            Map<String, String> s3Conf = s3.flinkS3Configuration();
            FlinkSessionCluster cluster =
                    FlinkSessionCluster.builder(workDir.resolve("flink"))
                            .slots(slots)
                            .set(s3Conf)
                            .set("state.checkpoints.dir", "s3://" + BUCKET + "/flink/checkpoints")
                            // The connector's relocated SDK v1 must not use CBOR with kinesalite.
                            .environment("AWS_CBOR_DISABLE", "true")
                            .start();
            String jarId;
            try {
                jarId = cluster.rest().uploadJar(jobJar);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return new ChaosStack(postgres, s3, kinesis, streams, cluster, jarId);
        } catch (Exception | Error e) {
            closeQuietly(streams);
            closeQuietly(kinesis);
            closeQuietly(s3);
            closeQuietly(postgres);
            throw e;
        }
    }

    FlinkRestClient rest() {
        return cluster.rest();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            closeQuietly(streams);
            closeQuietly(kinesis);
            closeQuietly(s3);
            closeQuietly(postgres);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("[chaos] could not close " + closeable + ": " + e);
        }
    }
}
