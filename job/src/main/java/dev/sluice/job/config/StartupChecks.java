package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;

import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Checks of the environment the job starts in, made where its main method runs (the JobManager on
 * MSF and in application mode, the client for {@code flink run} on a session cluster), before
 * anything is submitted.
 *
 * <p>They are not part of {@link SluiceConfig#from}: a configuration can be valid where it is
 * written ({@code import-firehose}, a CI check of {@code conf/}) and still not runnable there.
 */
public final class StartupChecks {

    private StartupChecks() {}

    /** Runs every check against the process environment. */
    public static void check(Map<String, Properties> groups) {
        passwordEnvironmentVariableIsSet(groups, System::getenv);
        environmentVariableIsSet(
                groups,
                TransformOptions.GROUP,
                TransformOptions.HASH_SALT_ENV,
                "on MSF use 'hash.salt'",
                System::getenv);
    }

    /**
     * A {@code password.env} naming a variable that is not set is a configuration error, not an
     * outage: without this check the loader would retry its first load for the whole retry window
     * (an hour by default). MSF cannot set environment variables at all.
     */
    static void passwordEnvironmentVariableIsSet(
            Map<String, Properties> groups, UnaryOperator<String> environment) {
        environmentVariableIsSet(
                groups,
                WarehouseOptions.GROUP,
                WarehouseOptions.PASSWORD_ENV,
                "on MSF use 'password.secret.arn'",
                environment);
    }

    /**
     * Fails when {@code option} of {@code group} names an environment variable that is not set. The
     * message names the group and key, never the variable or any value.
     */
    static void environmentVariableIsSet(
            Map<String, Properties> groups,
            String group,
            ConfigOption<String> option,
            String hint,
            UnaryOperator<String> environment) {
        Properties properties = groups.get(group);
        String variable = properties == null ? null : properties.getProperty(option.key());
        if (variable != null && environment.apply(variable.trim()) == null) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group
                            + "' key '"
                            + option.key()
                            + "' names an environment variable that is not set where the job"
                            + " starts; "
                            + hint);
        }
    }
}
