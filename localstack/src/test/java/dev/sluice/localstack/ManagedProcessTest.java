package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagedProcessTest {

    @TempDir Path logs;

    /** A server on the given port that first spawns a long-running child process. */
    private static final String SERVER_WITH_CHILD =
            "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'],"
                    + " {stdio: 'inherit'});"
                    + "console.log('starting');"
                    + "require('net').createServer(() => {}).listen(Number(process.argv[1]), '127.0.0.1');";

    @Test
    void startsOnceThePortAcceptsAndEndsTheProcessAndItsChildrenOnClose() throws Exception {
        int port = FreePorts.allocate();
        long pid;
        List<Long> children;
        try (ManagedProcess process =
                ManagedProcess.builder("server")
                        .command("node", "-e", SERVER_WITH_CHILD, Integer.toString(port))
                        .logDirectory(logs)
                        .port(port)
                        .startupTimeout(Duration.ofSeconds(20))
                        .start()) {
            assertThat(accepts(port)).isTrue();
            pid = process.pid();
            children = process.descendantPids();
            assertThat(children).hasSize(1);
            assertThat(process.logFile()).isEqualTo(logs.resolve("server.log"));
            assertThat(process.logTail()).contains("starting");
        }
        assertGone(pid);
        children.forEach(ManagedProcessTest::assertGone);
        assertThat(accepts(port)).isFalse();
    }

    @Test
    void killEndsTheProcessAndItsChildrenWithSigkillSoNoShutdownHandlerRuns() throws Exception {
        int port = FreePorts.allocate();
        String server =
                "process.on('SIGTERM', () => { console.log('graceful shutdown'); process.exit(0); });"
                        + SERVER_WITH_CHILD;
        try (ManagedProcess process =
                ManagedProcess.builder("crashing")
                        .command("node", "-e", server, Integer.toString(port))
                        .logDirectory(logs)
                        .port(port)
                        .startupTimeout(Duration.ofSeconds(20))
                        .start()) {
            long pid = process.pid();
            List<Long> children = process.descendantPids();
            process.kill(Duration.ofSeconds(5));
            assertGone(pid);
            children.forEach(ManagedProcessTest::assertGone);
            assertThat(process.isAlive()).isFalse();
            assertThat(process.logTail()).doesNotContain("graceful shutdown");
        }
    }

    @Test
    void failsFastWithTheLogTailWhenTheProcessExits() {
        int port = FreePorts.allocate();
        assertThatThrownBy(
                        () ->
                                ManagedProcess.builder("crasher")
                                        .command(
                                                "node",
                                                "-e",
                                                "console.error('no config, giving up'); process.exit(3)")
                                        .logDirectory(logs)
                                        .port(port)
                                        .startupTimeout(Duration.ofSeconds(20))
                                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crasher")
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("no config, giving up");
    }

    @Test
    void endsAProcessThatNeverOpensItsPortAfterTheTimeout() {
        int port = FreePorts.allocate();
        long startedAt = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                ManagedProcess.builder("sleeper")
                                        .command(
                                                "node",
                                                "-e",
                                                "console.log('pid=' + process.pid); setInterval(() => {}, 1000)")
                                        .logDirectory(logs)
                                        .port(port)
                                        .startupTimeout(Duration.ofSeconds(2))
                                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not accept connections within PT2S")
                .hasMessageContaining("pid=")
                .satisfies(
                        e -> {
                            String message = e.getMessage();
                            long pid =
                                    Long.parseLong(
                                            message.replaceAll("(?s).*\\(pid (\\d+)\\).*", "$1"));
                            assertGone(pid);
                        });
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt))
                .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void closeIsIdempotent() {
        int port = FreePorts.allocate();
        ManagedProcess process =
                ManagedProcess.builder("twice")
                        .command("node", "-e", SERVER_WITH_CHILD, Integer.toString(port))
                        .logDirectory(logs)
                        .port(port)
                        .start();
        process.close();
        process.close();
        assertThat(process.isAlive()).isFalse();
    }

    static void assertGone(long pid) {
        assertThat(ProcessHandle.of(pid).filter(ManagedProcess::isRunning))
                .as("process %d is still running", pid)
                .isEmpty();
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
