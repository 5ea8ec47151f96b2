package dev.sluice.job.config;

/** Configuration that Sluice refuses to start with; the message says which group and key. */
public class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
