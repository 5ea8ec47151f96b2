package dev.sluice.job.config;

import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.util.function.SerializableSupplier;

/**
 * Turns property group {@value WarehouseOptions#GROUP} into the loader's configuration.
 *
 * <p>The password is never copied into the job graph when it comes from an environment variable:
 * only the variable's name travels, and it is read where the loader connects.
 */
final class WarehouseConfigReader {

    private WarehouseConfigReader() {}

    static WarehouseLoaderConfig read(PropertyGroup group, String manifestBasePath) {
        String url = group.require(WarehouseOptions.JDBC_URL);
        String user = group.require(WarehouseOptions.USERNAME);
        SerializableSupplier<String> password = password(group);
        try {
            return WarehouseLoaderConfig.builder()
                    .dialect(group.get(WarehouseOptions.DIALECT))
                    .targetTable(group.require(WarehouseOptions.TABLE))
                    .columns(group.require(WarehouseOptions.COLUMNS))
                    .copyOptions(group.get(WarehouseOptions.COPY_OPTIONS))
                    .iamRole(group.get(WarehouseOptions.IAM_ROLE))
                    .ledgerSchema(group.get(WarehouseOptions.LEDGER_SCHEMA))
                    .manifestBasePath(manifestBasePath)
                    .connectionProvider(new DriverManagerConnectionProvider(url, user, password))
                    .build();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "Property group '" + group.groupId() + "': " + e.getMessage(), e);
        }
    }

    private static SerializableSupplier<String> password(PropertyGroup group) {
        boolean inline = group.contains(WarehouseOptions.PASSWORD);
        boolean fromEnv = group.contains(WarehouseOptions.PASSWORD_ENV);
        if (inline && fromEnv) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group.groupId()
                            + "' sets both 'password' and 'password.env'; keep one");
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
}
