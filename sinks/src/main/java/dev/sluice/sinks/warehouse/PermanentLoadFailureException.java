package dev.sluice.sinks.warehouse;

import java.io.IOException;

/**
 * A load failed for a reason that neither waiting nor a replay fixes: the warehouse refused the
 * credentials or S3 denied access. Thrown out of {@link RetryingLoader} so that it fails the task;
 * the cause is the driver's or file system's own exception.
 */
public final class PermanentLoadFailureException extends IOException {

    private static final long serialVersionUID = 1L;

    public PermanentLoadFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
