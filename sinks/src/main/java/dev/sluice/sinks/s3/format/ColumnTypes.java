package dev.sluice.sinks.s3.format;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * The target table's columns, in the order COPY lists them, with how their values are to be made to
 * fit ({@link ColumnValues}): what staging needs to know about the warehouse, read once when the
 * encoding function opens, never per record.
 *
 * @param columns the COPY's columns in order: the configured column list, or every column of the
 *     table when none is configured
 * @param ignoreCase JSON keys match column names ignoring case ({@code JSON 'auto ignorecase'})
 * @param truncateColumns {@code TRUNCATECOLUMNS} is among the COPY options: text longer than its
 *     column is cut to fit rather than refused
 * @param epochsAsTimestamps epoch numbers become timestamps in timestamp and date columns; false
 *     when the COPY options already say {@code TIMEFORMAT 'epochsecs'} or {@code 'epochmillisecs'}
 */
public record ColumnTypes(
        List<ColumnType> columns,
        boolean ignoreCase,
        boolean truncateColumns,
        boolean epochsAsTimestamps)
        implements Serializable {

    public ColumnTypes {
        columns = List.copyOf(columns);
        checkArgument(!columns.isEmpty(), "the table has no columns");
    }

    private Map<String, ColumnType> byKey() {
        Map<String, ColumnType> map = new HashMap<>();
        for (ColumnType column : columns) {
            String key = ignoreCase ? column.name().toLowerCase(Locale.ROOT) : column.name();
            map.putIfAbsent(key, column);
        }
        return map;
    }

    /** The converter for these columns; build once per encoder, it holds a lookup table. */
    public ColumnValues values() {
        return new ColumnValues(this, byKey());
    }
}
