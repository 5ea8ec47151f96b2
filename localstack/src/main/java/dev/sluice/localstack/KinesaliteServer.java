package dev.sluice.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * <a href="https://github.com/mhart/kinesalite">kinesalite</a>, a Kinesis emulator: the fast
 * default (about 12k records/s through PutRecords here).
 *
 * <p>Started with stream state transitions of 0 ms, so CreateStream is ACTIVE on the next
 * DescribeStream, and a shard limit of 1000 instead of its default 10. It has no Enhanced Fan-Out
 * and no UpdateShardCount: use {@link KinesisLocalServer} for those. SDK clients must disable CBOR
 * (see {@link KinesisEmulator}). Requests that name the stream by ARN are served through {@link
 * #STREAM_ARN_PRELOAD}.
 *
 * <h2>Surviving a restart</h2>
 *
 * By default its streams live in memory and die with it. {@link #startPersistent} gives it {@code
 * --path}, a LevelDB store on disk: killed with SIGKILL and {@link #restart() restarted} on the
 * same port, it still has its streams, records and sequence numbers, and the shard iterators it
 * issued before stay valid (it encrypts them with a fixed key), so a reader resumes where it was.
 * Checked here by a put, a SIGKILL, a restart and a GetRecords with the old iterator.
 */
public final class KinesaliteServer extends NodeEmulator {

    /**
     * Lets kinesalite take a stream's ARN where it expects its name: the FLIP-27 source of
     * connector 4.3.0 addresses the stream by ARN only, which kinesalite 3.3.3 rejects ("Either
     * NextToken or StreamName should be provided."). A Node preload rewrites such JSON requests
     * before kinesalite reads them.
     */
    static final String STREAM_ARN_PRELOAD = "stream-arn-to-name.js";

    private final ManagedProcess.Builder launch;

    private KinesaliteServer(ManagedProcess.Builder launch) {
        super(launch.start());
        this.launch = launch;
    }

    /**
     * Starts kinesalite in memory on a free port, logging to {@code workDir/logs/kinesalite.log}.
     */
    public static KinesaliteServer start(Path workDir) {
        return new KinesaliteServer(launch(workDir, List.of()));
    }

    /**
     * Starts kinesalite with its streams in {@code workDir/data} (LevelDB), so that it can be
     * {@link #kill() killed} and {@link #restart() restarted} with its data.
     */
    public static KinesaliteServer startPersistent(Path workDir) {
        return new KinesaliteServer(
                launch(workDir, List.of("--path", workDir.resolve("data").toString())));
    }

    /**
     * Ends the emulator with SIGKILL; clients get "connection refused" until {@link #restart()}.
     */
    public synchronized void kill() {
        process().kill(Duration.ofSeconds(10));
    }

    /**
     * Starts a {@link #kill() killed} emulator again on the same port; only a {@link
     * #startPersistent persistent} one still has its streams then.
     */
    public synchronized void restart() {
        if (process().isAlive()) {
            throw new IllegalStateException("kinesalite still runs: " + this);
        }
        replaceProcess(launch.start());
    }

    private static ManagedProcess.Builder launch(Path workDir, List<String> extraArgs) {
        int port = FreePorts.allocate();
        List<String> command = NodeEmulator.command("kinesalite/cli.js", STREAM_ARN_PRELOAD);
        command.addAll(
                List.of(
                        "--port", Integer.toString(port),
                        "--shardLimit", "1000",
                        "--createStreamMs", "0",
                        "--deleteStreamMs", "0",
                        "--updateStreamMs", "0"));
        command.addAll(extraArgs);
        return ManagedProcess.builder("kinesalite")
                .command(command)
                .workingDirectory(workDir)
                .logDirectory(workDir.resolve("logs"))
                .port(port)
                .startupTimeout(Duration.ofSeconds(30));
    }
}
