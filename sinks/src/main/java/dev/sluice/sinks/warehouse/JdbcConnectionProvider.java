package dev.sluice.sinks.warehouse;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a new connection to the warehouse each time it is called; the caller closes it.
 *
 * <p>Serializable because it travels inside {@link WarehouseLoaderConfig} from the job's main
 * method to the task that loads. Being a plain interface is also what lets tests inject failures by
 * wrapping it (for example a connection whose {@code commit()} throws once) without any hook in
 * production code. Implementations must keep secrets out of {@code toString()}.
 */
@FunctionalInterface
public interface JdbcConnectionProvider extends Serializable {

    Connection open() throws SQLException;
}
