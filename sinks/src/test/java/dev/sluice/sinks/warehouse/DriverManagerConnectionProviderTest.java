package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class DriverManagerConnectionProviderTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final dev.sluice.localstack.PostgresExtension POSTGRES =
            new dev.sluice.localstack.PostgresExtension();

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
                                + "?password=***&ssl=true, user=loader, password=***,"
                                + " statementTimeoutMs=1800000, POSTGRESQL}");
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
                                + " jdbc:postgresql:, jdbc:redshift: or jdbc:redshift:iam:");
    }

    @Test
    void aRedshiftConnectionIsToldToUseTlsAndGetsTheUserAndPassword() {
        DriverManagerConnectionProvider provider =
                new DriverManagerConnectionProvider(
                        "jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev",
                        "loader",
                        () -> PASSWORD);

        assertThat(provider.connectionProperties(PASSWORD))
                .containsOnly(
                        entry("ssl", "true"),
                        entry("sslmode", "verify-ca"),
                        entry("user", "loader"),
                        entry("password", PASSWORD));
        assertThat(provider.toString()).endsWith(", REDSHIFT, TLS on}");
    }

    @Test
    void aConfigurationRefusedForTurningTlsOffNeverShowsThePassword() {
        assertThatThrownBy(
                        () ->
                                new DriverManagerConnectionProvider(
                                        "jdbc:redshift://h:5439/dev?ssl=false&password=" + PASSWORD,
                                        "loader",
                                        () -> PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turns TLS off")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
    }

    @Test
    void aLoaderConfigWithAnInlinePasswordNeverShowsIt() {
        WarehouseLoaderConfig config =
                WarehouseLoaderConfig.builder()
                        .target(
                                CopyTarget.builder()
                                        .dialect(WarehouseDialect.named("redshift"))
                                        .targetTable("public.events")
                                        .columns(List.of("id"))
                                        .iamRole("arn:aws:iam::123456789012:role/load")
                                        .build())
                        .ledger(
                                LedgerOptions.builder()
                                        .manifestBasePath("s3://bucket/manifests/")
                                        .build())
                        .connectionProvider(
                                new DriverManagerConnectionProvider(
                                        "jdbc:redshift://h:5439/dev", "loader", () -> PASSWORD))
                        .build();
        assertThat(config.toString()).doesNotContain(PASSWORD).contains("password=***");
        assertThatThrownBy(
                        () ->
                                config.toBuilder()
                                        .target(
                                                config.target().toBuilder()
                                                        .columns(List.of("bad column!"))
                                                        .build())
                                        .build())
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
    }

    @Test
    void everySessionGetsTheStatementTimeoutSoAStuckStatementIsCancelled() throws Exception {
        assertThat(DriverManagerConnectionProvider.statementTimeoutStatement(1_800_000))
                .isEqualTo("SET statement_timeout TO 1800000");
        DriverManagerConnectionProvider provider =
                new DriverManagerConnectionProvider(
                        POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES::password, false, 1);

        try (java.sql.Connection connection = provider.open();
                java.sql.Statement statement = connection.createStatement()) {
            try (java.sql.ResultSet rows = statement.executeQuery("SHOW statement_timeout")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("1s");
            }
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(5)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(
                            e -> {
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("57014");
                                assertThat(LoadFailureClassifier.classify(e))
                                        .isEqualTo(LoadFailureClassifier.Kind.TRANSIENT);
                            });
        }
    }

    @Test
    void statementTimeoutsOutsideZeroToADayAreRefused() {
        assertThatThrownBy(
                        () ->
                                new DriverManagerConnectionProvider(
                                        "jdbc:postgresql://h/db", "u", null, false, 86_401))
                .hasMessage("The statement timeout must be between 0 and 86400 seconds, got 86401");
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
