package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * A validated, lower-case table name with an optional schema; build it with {@link
 * SqlIdentifiers#table(String, String)}.
 *
 * @param schema the schema, or null to let the connection's search path decide
 * @param name the table
 */
public record TableName(@Nullable String schema, String name) implements Serializable {

    private static final long serialVersionUID = 1L;

    public TableName {
        schema = schema == null ? null : SqlIdentifiers.identifier("schema", schema);
        name = SqlIdentifiers.identifier("table", name);
    }

    /** {@code "schema"."table"} or {@code "table"}, ready for SQL text. */
    public String quoted() {
        return schema == null
                ? SqlIdentifiers.quote(name)
                : SqlIdentifiers.quote(schema) + '.' + SqlIdentifiers.quote(name);
    }

    /** {@code schema.table} or {@code table}: how the ledger and the logs name it. */
    @Override
    public String toString() {
        return schema == null ? name : schema + '.' + name;
    }
}
