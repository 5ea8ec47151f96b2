package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh schema holding an {@code events (id bigint, name text)} table, one per test, so tests
 * sharing one embedded PostgreSQL never see each other's rows or ledgers; and the loader
 * configuration that loads it.
 */
public final class EventsTable {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final PostgresExtension postgres;
    private final String schema;

    private EventsTable(PostgresExtension postgres, String schema) {
        this.postgres = postgres;
        this.schema = schema;
    }

    /**
     * @param prefix names the schema; a counter, not the (long) test name, follows it, since
     *     PostgreSQL names are at most 63 bytes
     */
    public static EventsTable create(PostgresExtension postgres, String prefix)
            throws SQLException {
        String schema = prefix + "_" + SCHEMAS.incrementAndGet();
        postgres.execute("CREATE SCHEMA " + schema);
        postgres.execute("CREATE TABLE " + schema + ".events (id bigint, name text)");
        return new EventsTable(postgres, schema);
    }

    /** The schema, which also holds the ledger. */
    public String schema() {
        return schema;
    }

    /** {@code <schema>.events} */
    public String table() {
        return schema + ".events";
    }

    /** The ids in the table, in order. */
    public List<Long> ids() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = postgres.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM " + table() + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** The postgres-dialect loader of this table, its ledger in the same schema. */
    public WarehouseLoaderConfig.Builder loaderConfig(Path manifests) {
        return WarehouseLoaderConfig.builder()
                .target(target().build())
                .ledger(ledger(manifests).build())
                .connectionProvider(
                        new DriverManagerConnectionProvider(
                                postgres.jdbcUrl(), postgres.user(), postgres::password));
    }

    /** COPY into this table's two columns with the postgres dialect. */
    public CopyTarget.Builder target() {
        return CopyTarget.builder()
                .dialect(WarehouseDialect.named("postgres"))
                .targetTable(table())
                .columns(List.of("id", "name"));
    }

    /** The ledger in this table's schema, manifests in {@code manifests}. */
    public LedgerOptions.Builder ledger(Path manifests) {
        return LedgerOptions.builder()
                .ledgerSchema(schema)
                .manifestBasePath(manifests.toUri().toString());
    }
}
