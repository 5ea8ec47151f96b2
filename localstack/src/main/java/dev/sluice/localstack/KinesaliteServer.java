package dev.sluice.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * <a href="https://github.com/mhart/kinesalite">kinesalite</a>, an in-memory Kinesis emulator: the
 * fast default (about 12k records/s through PutRecords here).
 *
 * <p>Started with stream state transitions of 0 ms, so CreateStream is ACTIVE on the next
 * DescribeStream, and a shard limit of 1000 instead of its default 10. It has no Enhanced Fan-Out
 * and no UpdateShardCount: use {@link KinesisLocalServer} for those. SDK clients must disable CBOR
 * (see {@link KinesisEmulator}).
 */
public final class KinesaliteServer extends NodeEmulator {

    private KinesaliteServer(ManagedProcess process) {
        super(process);
    }

    /** Starts kinesalite on a free port, logging to {@code workDir/logs/kinesalite.log}. */
    public static KinesaliteServer start(Path workDir) {
        int port = FreePorts.allocate();
        List<String> command = NodeEmulator.command("kinesalite/cli.js");
        command.addAll(
                List.of(
                        "--port", Integer.toString(port),
                        "--shardLimit", "1000",
                        "--createStreamMs", "0",
                        "--deleteStreamMs", "0",
                        "--updateStreamMs", "0"));
        return new KinesaliteServer(
                ManagedProcess.builder("kinesalite")
                        .command(command)
                        .workingDirectory(workDir)
                        .logDirectory(workDir.resolve("logs"))
                        .port(port)
                        .startupTimeout(Duration.ofSeconds(30))
                        .start());
    }
}
