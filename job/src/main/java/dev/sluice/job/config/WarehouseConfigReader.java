package dev.sluice.job.config;

import dev.sluice.sinks.loader.LoaderExecutionOptions;
import dev.sluice.sinks.loader.MergeLimits;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.warehouse.CopyTarget;
import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.EnvironmentPassword;
import dev.sluice.sinks.warehouse.FilePassword;
import dev.sluice.sinks.warehouse.LedgerOptions;
import dev.sluice.sinks.warehouse.LoadRetryPolicy;
import dev.sluice.sinks.warehouse.SecretsManagerPassword;
import dev.sluice.sinks.warehouse.WarehouseDialect;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.util.function.SerializableSupplier;

import java.time.Duration;
import java.util.List;
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
     * @param columns the group's {@code columns}, split by {@link OutputConfigReader#columnList}
     * @param stagingFormat the format of the files the loader COPYs (group {@code S3})
     */
    static WarehouseLoaderConfig read(
            PropertyGroup group,
            List<String> columns,
            String manifestBasePath,
            FileFormat stagingFormat) {
        String url = group.require(WarehouseOptions.JDBC_URL);
        SerializableSupplier<String> password = password(group);
        try {
            String user =
                    url.toLowerCase(Locale.ROOT).startsWith("jdbc:redshift:iam:")
                            ? group.get(WarehouseOptions.USERNAME)
                            : group.require(WarehouseOptions.USERNAME);
            DriverManagerConnectionProvider connections =
                    new DriverManagerConnectionProvider(
                            url,
                            user,
                            password,
                            group.get(WarehouseOptions.TLS_DISABLE),
                            group.requireInRange(
                                    WarehouseOptions.STATEMENT_TIMEOUT_S,
                                    0,
                                    DriverManagerConnectionProvider.MAX_STATEMENT_TIMEOUT_S));
            String table = group.require(WarehouseOptions.TABLE);
            group.require(WarehouseOptions.COLUMNS); // required even when empty; split by caller
            CopyTarget target =
                    CopyTarget.builder()
                            .dialect(WarehouseDialect.named(group.get(WarehouseOptions.DIALECT)))
                            .targetTable(table)
                            .columns(columns)
                            .stagingFormat(stagingFormat)
                            .copyOptions(
                                    group.contains(WarehouseOptions.COPY_OPTIONS)
                                            ? group.get(WarehouseOptions.COPY_OPTIONS)
                                            : null)
                            .iamRole(group.get(WarehouseOptions.IAM_ROLE))
                            .maxRejectedRows(
                                    (int)
                                            group.requireInRange(
                                                    WarehouseOptions.MAX_REJECTED_ROWS,
                                                    0,
                                                    CopyTarget.MAX_MAX_REJECTED_ROWS))
                            .build();
            LedgerOptions ledger =
                    LedgerOptions.builder()
                            .ledgerSchema(group.get(WarehouseOptions.LEDGER_SCHEMA))
                            .manifestBasePath(manifestBasePath)
                            .build();
            return WarehouseLoaderConfig.builder()
                    .target(target)
                    .ledger(ledger)
                    .connectionProvider(connections)
                    .build();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "Property group '" + group.groupId() + "': " + e.getMessage(), e);
        }
    }

    /** The loader's retries and merge limits, from the same group. */
    static LoaderExecutionOptions execution(PropertyGroup group) {
        try {
            return LoaderExecutionOptions.builder()
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
        long files =
                group.requireInRange(WarehouseOptions.MERGE_MAX_FILES, 1, MergeLimits.MAX_FILES);
        long mb = group.requireInRange(WarehouseOptions.MERGE_MAX_MB, 1, MergeLimits.MAX_MB);
        return MergeLimits.ofMegabytes((int) files, mb);
    }

    private static SerializableSupplier<String> password(PropertyGroup group) {
        boolean inline = group.contains(WarehouseOptions.PASSWORD);
        boolean fromEnv = group.contains(WarehouseOptions.PASSWORD_ENV);
        boolean fromFile = group.contains(WarehouseOptions.PASSWORD_FILE);
        boolean fromSecret = group.contains(WarehouseOptions.PASSWORD_SECRET_ARN);
        if ((inline ? 1 : 0) + (fromEnv ? 1 : 0) + (fromFile ? 1 : 0) + (fromSecret ? 1 : 0) > 1) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group.groupId()
                            + "' sets more than one of 'password', 'password.env',"
                            + " 'password.file' and 'password.secret.arn'; keep one");
        }
        if (fromSecret) {
            try {
                return new SecretsManagerPassword(
                        group.require(WarehouseOptions.PASSWORD_SECRET_ARN).trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(
                        "Property group '"
                                + group.groupId()
                                + "' key '"
                                + WarehouseOptions.PASSWORD_SECRET_ARN.key()
                                + "': "
                                + e.getMessage(),
                        e);
            }
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
}
