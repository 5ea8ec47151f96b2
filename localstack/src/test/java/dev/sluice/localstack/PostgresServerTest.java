package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresServerTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void answersSelectOneOverJdbc() throws Exception {
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
        }
        assertThat(POSTGRES.jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/postgres");
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("show listen_addresses")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("127.0.0.1");
        }
        // And nothing answers on the machine's other addresses.
        for (InetAddress address : nonLoopbackAddresses()) {
            assertThat(accepts(address, POSTGRES.port())).as("listening on %s", address).isFalse();
        }
    }

    @Test
    void stopsOnClose() throws Exception {
        int port;
        try (PostgresServer server = PostgresServer.start()) {
            port = server.port();
            assertThat(port).isNotEqualTo(POSTGRES.port());
            assertThat(accepts(InetAddress.getByName("127.0.0.1"), port)).isTrue();
        }
        assertThat(accepts(InetAddress.getByName("127.0.0.1"), port)).isFalse();
    }

    @Test
    void restartsOnTheSamePortWithTheSameDataAfterAStop() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            try (Connection connection = server.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("create table kept (n int)");
                statement.execute("insert into kept values (42)");
            }
            server.stop();
            assertThat(server.running()).isFalse();
            assertThat(accepts(InetAddress.getByName("127.0.0.1"), server.port())).isFalse();

            server.restart();
            try (Connection connection = server.connect();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("select n from kept")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(42);
            }
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .collect(Collectors.toList());
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
