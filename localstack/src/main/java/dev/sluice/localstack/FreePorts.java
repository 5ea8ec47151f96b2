package dev.sluice.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds free TCP ports on the loopback interface.
 *
 * <p>The emulators take their port on the command line, so the port has to be chosen before the
 * process starts. Binding an ephemeral port on 127.0.0.1 and releasing it is the usual compromise:
 * another process could in principle grab it in between, which {@link ManagedProcess} surfaces as a
 * start-up failure with the process log rather than as a hang.
 */
public final class FreePorts {

    /** The only address the local stand-ins ever bind to. */
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {}

    /** Returns a port on 127.0.0.1 that was free a moment ago. */
    public static int allocate() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot allocate a free port on " + LOOPBACK, e);
        }
    }
}
