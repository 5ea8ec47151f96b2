package dev.sluice.job.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupChecksTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");
    private static final String VARIABLE = "SLUICE_TEST_WAREHOUSE_PASSWORD";

    private static Map<String, Properties> withPasswordEnv() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").remove("password.secret.arn");
        groups.get("Warehouse").setProperty("password.env", VARIABLE);
        return groups;
    }

    @Test
    void aPasswordEnvNamingAnUnsetVariableFailsStartUpInOneLineNamingGroupAndKeyOnly()
            throws Exception {
        Map<String, Properties> groups = withPasswordEnv();

        assertThatThrownBy(
                        () -> StartupChecks.passwordEnvironmentVariableIsSet(groups, name -> null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Warehouse'")
                .hasMessageContaining("'password.env'")
                .hasMessageContaining("not set")
                .satisfies(
                        e ->
                                assertThat(e.getMessage())
                                        .doesNotContain(VARIABLE)
                                        .doesNotContain("\n"));
    }

    @Test
    void aPasswordEnvNamingASetVariablePassesAndTheConfigurationStillValidatesWithoutIt()
            throws Exception {
        Map<String, Properties> groups = withPasswordEnv();

        assertThatCode(
                        () ->
                                StartupChecks.passwordEnvironmentVariableIsSet(
                                        groups, name -> name.equals(VARIABLE) ? "x" : null))
                .doesNotThrowAnyException();
        // Valid where it is written (import-firehose, CI), even though not runnable there.
        assertThatCode(() -> SluiceConfig.from(groups)).doesNotThrowAnyException();
    }

    @Test
    void theShippedExamplesNeedNoEnvironmentVariable() throws Exception {
        for (String example :
                new String[] {"sluice-redshift.example.json", "sluice-lake.example.json"}) {
            Map<String, Properties> groups =
                    ApplicationProperties.fromFile(Path.of("..", "conf", example));
            assertThatCode(() -> StartupChecks.passwordEnvironmentVariableIsSet(groups, n -> null))
                    .as(example)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aHashSaltEnvNamingAnUnsetVariableFailsStartUpNamingGroupAndKeyOnly() {
        Properties transform = new Properties();
        transform.setProperty("hash.salt.env", "SLUICE_TEST_SALT");

        assertThatThrownBy(
                        () ->
                                StartupChecks.environmentVariableIsSet(
                                        Map.of("Transform", transform),
                                        TransformOptions.GROUP,
                                        TransformOptions.HASH_SALT_ENV,
                                        "on MSF use 'hash.salt'",
                                        name -> null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'Transform' key 'hash.salt.env' names an environment"
                                + " variable that is not set where the job starts; on MSF use"
                                + " 'hash.salt'");
    }
}
