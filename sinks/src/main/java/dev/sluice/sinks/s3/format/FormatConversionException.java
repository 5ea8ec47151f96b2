package dev.sluice.sinks.s3.format;

/**
 * A record that cannot be written in its output's format: not JSON, a field of the wrong type, a
 * required field missing. The record goes to {@code errors/format-conversion-failed/}.
 */
public class FormatConversionException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Firehose's error code for the same outcome. */
    public static final String ERROR_CODE = "DataFormatConversion.MalformedData";

    public FormatConversionException(String message) {
        super(message);
    }

    public FormatConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
