package dev.sluice.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds command lines for the npm-installed Kinesis emulators.
 *
 * <p>Neither kinesalite nor kinesis-mock takes a bind address, and both would listen on all
 * interfaces. {@code node --require bind-loopback.js} preloads a patch of {@code
 * net.Server.prototype.listen} that forces 127.0.0.1.
 */
final class NodeEmulators {

    /** The fixed credentials the emulators are addressed with; neither checks them. */
    static final String ACCESS_KEY = "sluice-access-key";

    static final String SECRET_KEY = "sluice-secret-key";
    static final String REGION = "us-east-1";

    private NodeEmulators() {}

    /** {@code node --require <node dir>/bind-loopback.js <node dir>/node_modules/<script>}. */
    static List<String> command(String script) {
        Path nodeDir = LocalStackProperties.nodeDir();
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("sluice.localstack.node", "node"));
        command.add("--require");
        command.add(nodeDir.resolve("bind-loopback.js").toString());
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
