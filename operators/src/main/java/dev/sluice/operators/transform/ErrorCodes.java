package dev.sluice.operators.transform;

/**
 * The error codes Sluice itself writes into error envelopes. User transforms choose their own
 * codes; these are stable, so they can be queried and alerted on.
 */
public final class ErrorCodes {

    /** The payload is longer than the configured maximum (1 MiB by default). */
    public static final String RECORD_TOO_LARGE = "Record.TooLarge";

    /** The payload is not valid UTF-8 (JSON must be). */
    public static final String INVALID_UTF8 = "Record.InvalidUtf8";

    /** The payload is UTF-8 but not one well-formed JSON value. */
    public static final String INVALID_JSON = "Json.Invalid";

    /** The payload is JSON but not an object, so it cannot be a warehouse row. */
    public static final String NOT_A_JSON_OBJECT = "Json.NotAnObject";

    /** The transform returned null instead of an outcome. */
    public static final String NO_OUTCOME = "Transform.NoOutcome";

    /** The transform threw; the message names the exception class. */
    public static final String TRANSFORM_EXCEPTION = "Transform.Exception";

    /** A field a built-in needs has a type it cannot work with. */
    public static final String UNSUPPORTED_FIELD = "Field.Unsupported";

    /** The record's event time is behind the watermark (late-record policy ERRORS). */
    public static final String LATE_RECORD = "Record.Late";

    private ErrorCodes() {}
}
