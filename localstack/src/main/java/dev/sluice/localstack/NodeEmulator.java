package dev.sluice.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the npm-installed Kinesis emulators have in common: how they are launched, the fixed
 * credentials and region they are addressed with, and the process that is them.
 *
 * <p>Neither kinesalite nor kinesis-mock takes a bind address, and both would listen on all
 * interfaces. {@code node --require bind-loopback.js} preloads a patch of {@code
 * net.Server.prototype.listen} that forces 127.0.0.1.
 */
abstract class NodeEmulator implements KinesisEmulator {

    /** The fixed credentials the emulators are addressed with; neither checks them. */
    static final String ACCESS_KEY = "sluice-access-key";

    static final String SECRET_KEY = "sluice-secret-key";
    static final String REGION = "us-east-1";

    private volatile ManagedProcess process;

    NodeEmulator(ManagedProcess process) {
        this.process = process;
    }

    /** After a restart: the new process that is the emulator now. */
    void replaceProcess(ManagedProcess restarted) {
        this.process = restarted;
    }

    @Override
    public String endpoint() {
        return endpoint(process.port());
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + endpoint() + ", pid=" + process.pid() + "}";
    }

    /**
     * {@code node --require <node dir>/bind-loopback.js [--require <node dir>/<preload>]... <node
     * dir>/node_modules/<script>}.
     */
    static List<String> command(String script, String... preloads) {
        Path nodeDir = LocalStackProperties.nodeDir();
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("sluice.localstack.node", "node"));
        command.add("--require");
        command.add(nodeDir.resolve("bind-loopback.js").toString());
        for (String preload : preloads) {
            command.add("--require");
            command.add(nodeDir.resolve(preload).toString());
        }
        command.add(nodeDir.resolve("node_modules").resolve(script).toString());
        return command;
    }

    static Path nodeModules() {
        return LocalStackProperties.nodeDir().resolve("node_modules");
    }

    static String endpoint(int port) {
        return "http://" + FreePorts.LOOPBACK + ":" + port;
    }
}
