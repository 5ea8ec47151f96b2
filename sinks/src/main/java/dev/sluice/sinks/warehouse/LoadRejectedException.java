package dev.sluice.sinks.warehouse;

import java.sql.SQLException;
import java.util.List;

/**
 * The warehouse refused a load and said where: an {@link SQLException} that keeps the original
 * SQLState (so {@link LoadFailureClassifier} classifies it as before) and adds the {@link
 * LoadErrorDetail}s the load-failed error document reports.
 */
public final class LoadRejectedException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final List<LoadErrorDetail> details;

    public LoadRejectedException(
            String message, SQLException cause, List<LoadErrorDetail> details) {
        super(message, cause.getSQLState(), cause.getErrorCode(), cause);
        this.details = List.copyOf(details);
    }

    /** What the warehouse said about each rejected line; may be empty. */
    public List<LoadErrorDetail> details() {
        return details;
    }
}
