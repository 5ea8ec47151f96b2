package dev.sluice.sinks.s3.format;

import java.io.Serializable;
import java.util.Locale;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One warehouse column as the staging step needs to know it: its name, which family of types it
 * belongs to, and the limits that family has (a length, a precision and scale). Built from the
 * warehouse's catalog ({@code information_schema.columns} on PostgreSQL, {@code SVV_COLUMNS} on
 * Redshift), whose {@code data_type} strings the two share.
 *
 * @param name the column's name as the catalog spells it
 * @param kind the family of types; {@link Kind#OTHER} for anything staging does not check
 * @param dataType the catalog's {@code data_type}, for messages
 * @param maxLength {@code VARCHAR(n)}'s or {@code CHAR(n)}'s n, or -1 for no limit
 * @param lengthInBytes whether {@code maxLength} counts UTF-8 bytes (Redshift) or characters
 *     (PostgreSQL)
 * @param precision {@code NUMERIC(p,s)}'s p, or -1 for an unconstrained numeric
 * @param scale {@code NUMERIC(p,s)}'s s
 */
public record ColumnType(
        String name,
        ColumnType.Kind kind,
        String dataType,
        int maxLength,
        boolean lengthInBytes,
        int precision,
        int scale)
        implements Serializable {

    /** The families of column types staging treats differently. */
    public enum Kind {
        TEXT,
        SMALLINT,
        INTEGER,
        BIGINT,
        NUMERIC,
        REAL,
        DOUBLE,
        BOOLEAN,
        DATE,
        TIMESTAMP,
        TIMESTAMPTZ,
        /** Anything else (JSON, SUPER, TIME, UUID, …): passed through unchecked. */
        OTHER
    }

    public ColumnType {
        checkNotNull(name, "name");
        checkNotNull(kind, "kind");
        checkNotNull(dataType, "dataType");
    }

    /**
     * The column a catalog row describes.
     *
     * @param dataType {@code information_schema.columns.data_type} or {@code
     *     SVV_COLUMNS.data_type}, e.g. {@code character varying}, {@code timestamp without time
     *     zone}
     * @param maxLength {@code character_maximum_length}, null when there is none
     * @param precision {@code numeric_precision}, null when there is none
     * @param scale {@code numeric_scale}, null when there is none
     */
    public static ColumnType fromCatalog(
            String name,
            String dataType,
            Integer maxLength,
            Integer precision,
            Integer scale,
            boolean lengthInBytes) {
        Kind kind = kindOf(dataType);
        return new ColumnType(
                name,
                kind,
                dataType == null ? "unknown" : dataType,
                (kind == Kind.TEXT && maxLength != null && maxLength > 0) ? maxLength : -1,
                lengthInBytes,
                (kind == Kind.NUMERIC && precision != null && precision > 0) ? precision : -1,
                (kind == Kind.NUMERIC && scale != null) ? scale : 0);
    }

    static Kind kindOf(String dataType) {
        if (dataType == null) {
            return Kind.OTHER;
        }
        switch (dataType.trim().toLowerCase(Locale.ROOT)) {
            case "character varying":
            case "varchar":
            case "character":
            case "char":
            case "bpchar":
            case "text":
                return Kind.TEXT;
            case "smallint":
                return Kind.SMALLINT;
            case "integer":
                return Kind.INTEGER;
            case "bigint":
                return Kind.BIGINT;
            case "numeric":
            case "decimal":
                return Kind.NUMERIC;
            case "real":
                return Kind.REAL;
            case "double precision":
                return Kind.DOUBLE;
            case "boolean":
                return Kind.BOOLEAN;
            case "date":
                return Kind.DATE;
            case "timestamp without time zone":
            case "timestamp":
                return Kind.TIMESTAMP;
            case "timestamp with time zone":
            case "timestamptz":
                return Kind.TIMESTAMPTZ;
            default:
                return Kind.OTHER;
        }
    }

    /** e.g. {@code character varying(64)}, {@code numeric(10,2)}, {@code integer}. */
    public String describe() {
        if (maxLength > 0) {
            return dataType + "(" + maxLength + ")";
        }
        if (precision > 0) {
            return dataType + "(" + precision + "," + scale + ")";
        }
        return dataType;
    }
}
