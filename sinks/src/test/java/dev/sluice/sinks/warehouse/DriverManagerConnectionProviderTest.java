package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverManagerConnectionProviderTest {

    private static final String PASSWORD = "s3cr3t-Pa55";

    @Test
    void passwordNeverAppearsInToString() {
        DriverManagerConnectionProvider provider =
                new DriverManagerConnectionProvider(
                        "jdbc:postgresql://127.0.0.1:1/db?password=" + PASSWORD + "&ssl=true",
                        "loader",
                        () -> PASSWORD);

        assertThat(provider.toString())
                .isEqualTo(
                        "DriverManagerConnectionProvider{url=jdbc:postgresql://127.0.0.1:1/db"
                                + "?password=***&ssl=true, user=loader, password=***}");
    }

    @Test
    void passwordNeverAppearsInAFailedConnectionsExceptionsWithPgjdbc() {
        DriverManagerConnectionProvider provider =
                new DriverManagerConnectionProvider(
                        "jdbc:postgresql://127.0.0.1:1/db?connectTimeout=2",
                        "loader",
                        () -> PASSWORD);

        assertThatThrownBy(provider::open)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
    }

    @Test
    void redshiftUrlsUseTheRedshiftDriverAndNeverShowThePasswordEither() {
        DriverManagerConnectionProvider provider =
                new DriverManagerConnectionProvider(
                        "jdbc:redshift://127.0.0.1:1/dev;PWD=" + PASSWORD + ";loginTimeout=2",
                        "loader",
                        () -> PASSWORD);

        assertThat(provider.toString()).doesNotContain(PASSWORD).contains(";PWD=***;");
        assertThatThrownBy(provider::open)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
    }

    @Test
    void urlsOfOtherDatabasesAreRejectedAtConstruction() {
        assertThatThrownBy(
                        () ->
                                new DriverManagerConnectionProvider(
                                        "jdbc:mysql://h/db?password=" + PASSWORD, "u", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "The JDBC URL \"jdbc:mysql://h/db?password=***\" must start with"
                                + " jdbc:postgresql: or jdbc:redshift:");
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
