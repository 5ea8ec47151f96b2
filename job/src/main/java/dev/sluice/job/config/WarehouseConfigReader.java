package dev.sluice.job.config;

import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import dev.sluice.sinks.warehouse.LoadRetryPolicy;
import dev.sluice.sinks.warehouse.MergeLimits;

import org.apache.flink.util.function.SerializableSupplier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns property group {@value WarehouseOptions#GROUP} into the loader's configuration.
 *
 * <p>The password is never copied into the job graph when it comes from an environment variable:
 * only the variable's name travels, and it is read where the loader connects.
 */
final class WarehouseConfigReader {

    private WarehouseConfigReader() {}

    /**
     * @param stagingFormat the format of the files the loader COPYs (group {@code S3})
     */
    static WarehouseLoaderConfig read(
            PropertyGroup group, String manifestBasePath, FileFormat stagingFormat) {
        String url = group.require(WarehouseOptions.JDBC_URL);
        SerializableSupplier<String> password = password(group);
        try {
            String user =
                    url.toLowerCase(Locale.ROOT).startsWith("jdbc:redshift:iam:")
                            ? group.get(WarehouseOptions.USERNAME)
                            : group.require(WarehouseOptions.USERNAME);
            DriverManagerConnectionProvider connections =
                    new DriverManagerConnectionProvider(
                            url, user, password, group.get(WarehouseOptions.TLS_DISABLE));
            return WarehouseLoaderConfig.builder()
                    .dialect(group.get(WarehouseOptions.DIALECT))
                    .targetTable(group.require(WarehouseOptions.TABLE))
                    .columns(group.require(WarehouseOptions.COLUMNS))
                    .stagingFormat(stagingFormat)
                    .copyOptions(
                            group.contains(WarehouseOptions.COPY_OPTIONS)
                                    ? group.get(WarehouseOptions.COPY_OPTIONS)
                                    : null)
                    .iamRole(group.get(WarehouseOptions.IAM_ROLE))
                    .ledgerSchema(group.get(WarehouseOptions.LEDGER_SCHEMA))
                    .manifestBasePath(manifestBasePath)
                    .connectionProvider(connections)
                    .retryPolicy(retryPolicy(group))
                    .mergeLimits(mergeLimits(group))
                    .build();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "Property group '" + group.groupId() + "': " + e.getMessage(), e);
        }
    }

    static LoadRetryPolicy retryPolicy(PropertyGroup group) {
        long window =
                group.requireInRange(
                        WarehouseOptions.RETRY_DURATION_S, 0, LoadRetryPolicy.MAX_RETRY_DURATION_S);
        long initial = group.requireInRange(WarehouseOptions.RETRY_BACKOFF_INITIAL_MS, 1, 600_000);
        long max = group.requireInRange(WarehouseOptions.RETRY_BACKOFF_MAX_MS, initial, 600_000);
        return LoadRetryPolicy.builder()
                .retryDuration(Duration.ofSeconds(window))
                .initialBackoff(Duration.ofMillis(initial))
                .maxBackoff(Duration.ofMillis(max))
                .build();
    }

    static MergeLimits mergeLimits(PropertyGroup group) {
        long files = group.requireInRange(WarehouseOptions.MERGE_MAX_FILES, 1, MergeLimits.MAX_FILES);
        long mb = group.requireInRange(WarehouseOptions.MERGE_MAX_MB, 1, MergeLimits.MAX_MB);
        return MergeLimits.ofMegabytes((int) files, mb);
    }

    private static SerializableSupplier<String> password(PropertyGroup group) {
        boolean inline = group.contains(WarehouseOptions.PASSWORD);
        boolean fromEnv = group.contains(WarehouseOptions.PASSWORD_ENV);
        boolean fromFile = group.contains(WarehouseOptions.PASSWORD_FILE);
        boolean fromSecret = group.contains(WarehouseOptions.PASSWORD_SECRET_ARN);
        if ((inline ? 1 : 0) + (fromEnv ? 1 : 0) + (fromFile ? 1 : 0) + (fromSecret ? 1 : 0)
                > 1) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group.groupId()
                            + "' sets more than one of 'password', 'password.env',"
                            + " 'password.file' and 'password.secret.arn'; keep one");
        }
        if (fromSecret) {
            return new SecretsManagerPassword(
                    group.require(WarehouseOptions.PASSWORD_SECRET_ARN).trim());
        }
        if (fromFile) {
            return new FilePassword(group.require(WarehouseOptions.PASSWORD_FILE));
        }
        if (fromEnv) {
            String variable = group.require(WarehouseOptions.PASSWORD_ENV);
            return new EnvironmentPassword(variable);
        }
        if (inline) {
            String password = group.get(WarehouseOptions.PASSWORD);
            return () -> password;
        }
        return null;
    }

    /** Reads the password from an environment variable each time a connection is opened. */
    private static final class EnvironmentPassword implements SerializableSupplier<String> {

        private static final long serialVersionUID = 1L;

        private final String variable;

        EnvironmentPassword(String variable) {
            this.variable = variable;
        }

        @Override
        public String get() {
            String value = System.getenv(variable);
            if (value == null) {
                throw new IllegalStateException(
                        "Environment variable " + variable + " holding the warehouse password is"
                                + " not set on this task manager");
            }
            return value;
        }

        @Override
        public String toString() {
            return "env:" + variable;
        }
    }

    /**
     * Reads the password from a file each time a connection is opened, so a rotated secret (a
     * re-mounted Kubernetes secret, say) is picked up without a restart. Errors name the file,
     * never its content.
     */
    static final class FilePassword implements SerializableSupplier<String> {

        private static final long serialVersionUID = 1L;

        private final String file;

        FilePassword(String file) {
            this.file = file;
        }

        @Override
        public String get() {
            String content;
            try {
                content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Cannot read the warehouse password file "
                                + file
                                + " on this task manager ("
                                + e.getClass().getSimpleName()
                                + ")");
            }
            String password = content.strip();
            if (password.isEmpty()) {
                throw new IllegalStateException(
                        "The warehouse password file " + file + " is empty");
            }
            return password;
        }

        @Override
        public String toString() {
            return "file:" + file;
        }
    }
}
