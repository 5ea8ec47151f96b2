package dev.sluice.localstack;

import java.nio.file.Path;
import java.time.Duration;

/**
 * <a href="https://github.com/etspaceman/kinesis-mock">kinesis-mock</a>, as published on npm
 * ({@code kinesis-local}, a Scala.js build): the emulator for Enhanced Fan-Out, UpdateShardCount
 * and the FLIP-27 {@code KinesisStreamsSource}.
 *
 * <p>It is configured only through the environment. It always opens a TLS port as well as the plain
 * one, and refuses to start unless {@code KINESIS_MOCK_CERT_PATH} points at the self-signed {@code
 * server.json} shipped in its package (the default is relative to the working directory). All
 * simulated state transitions (create, delete, update shard count, register consumer, ...) default
 * to 500 ms; they are set to 0 here. The shard limit is raised from 50 to 1000.
 *
 * <p>On SIGTERM it waits up to 30 s for idle keep-alive connections (which any SDK client in the
 * test JVM holds) to close before exiting. Its state is in memory and thrown away anyway, so {@link
 * #close()} allows it one second before SIGKILL.
 *
 * <p>PutRecords gets slower as a stream grows, and large payloads are slow (12 records of 600 KiB
 * take about 15 s here against under 1 s with kinesalite), so tests using it keep their data small.
 * Why it slows: kinesis-mock groups each request's entries by their shard <em>together with that
 * shard's whole record vector</em>, which it hashes per entry, so one PutRecords costs time in
 * proportion to its entries times the records already in the shard, and putting N records on S
 * shards about N²/2S record hashes whatever the batch size. 25,000 records on 4 shards were not all
 * in after ten minutes on this shared machine, when a PutRecords outlived the client's read
 * timeout; tests that need tens of thousands of records use kinesalite.
 */
public final class KinesisLocalServer extends NodeEmulator {

    /** The simulated durations kinesis-mock supports, all set to zero. */
    private static final String[] DURATIONS = {
        "CREATE_STREAM_DURATION",
        "DELETE_STREAM_DURATION",
        "REGISTER_STREAM_CONSUMER_DURATION",
        "DEREGISTER_STREAM_CONSUMER_DURATION",
        "START_STREAM_ENCRYPTION_DURATION",
        "STOP_STREAM_ENCRYPTION_DURATION",
        "MERGE_SHARDS_DURATION",
        "SPLIT_SHARD_DURATION",
        "UPDATE_SHARD_COUNT_DURATION",
        "UPDATE_STREAM_MODE_DURATION",
    };

    private KinesisLocalServer(ManagedProcess process) {
        super(process);
    }

    /** Starts kinesis-mock on free ports, logging to {@code workDir/logs/kinesis-local.log}. */
    public static KinesisLocalServer start(Path workDir) {
        int plainPort = FreePorts.allocate();
        int tlsPort = FreePorts.allocate();
        while (tlsPort == plainPort) {
            tlsPort = FreePorts.allocate();
        }
        ManagedProcess.Builder builder =
                ManagedProcess.builder("kinesis-local")
                        .command(NodeEmulator.command("kinesis-local/main.js"))
                        .environment("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort))
                        .environment("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort))
                        .environment(
                                "KINESIS_MOCK_CERT_PATH",
                                NodeEmulator.nodeModules()
                                        .resolve("kinesis-local")
                                        .resolve("server.json")
                                        .toString())
                        .environment("AWS_REGION", NodeEmulator.REGION)
                        .environment("SHARD_LIMIT", "1000")
                        .environment("ON_DEMAND_STREAM_COUNT_LIMIT", "100")
                        .environment("SHOULD_PERSIST_DATA", "false")
                        .environment("LOAD_DATA_IF_EXISTS", "false")
                        .environment("LOG_LEVEL", "WARN")
                        .workingDirectory(workDir)
                        .logDirectory(workDir.resolve("logs"))
                        .port(plainPort)
                        .startupTimeout(Duration.ofSeconds(60))
                        .gracePeriod(Duration.ofSeconds(1));
        for (String duration : DURATIONS) {
            builder.environment(duration, "0ms");
        }
        return new KinesisLocalServer(builder.start());
    }
}
