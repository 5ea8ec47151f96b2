package dev.sluice.sinks.warehouse;

import org.apache.flink.util.function.SerializableSupplier;

/** Reads the password from an environment variable each time a connection is opened. */
public final class EnvironmentPassword implements SerializableSupplier<String> {

    private static final long serialVersionUID = 1L;

    private final String variable;

    public EnvironmentPassword(String variable) {
        this.variable = variable;
    }

    @Override
    public String get() {
        String value = System.getenv(variable);
        if (value == null) {
            throw new IllegalStateException(
                    "Environment variable "
                            + variable
                            + " holding the warehouse password is"
                            + " not set on this task manager");
        }
        return value;
    }

    @Override
    public String toString() {
        return "env:" + variable;
    }
}
