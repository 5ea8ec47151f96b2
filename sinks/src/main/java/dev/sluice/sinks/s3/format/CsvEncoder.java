package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.JsonPayloads;

import com.fasterxml.jackson.core.JsonToken;

import javax.annotation.Nullable;

import java.util.List;

/**
 * CSV: each record, a JSON object, becomes one RFC 4180 line of the output's declared columns, in
 * their order, with keys matched to columns ignoring case. Values and NULLs are written as {@link
 * JsonCsvRow} describes, the same way the loader turns JSON lines into CSV, so a staged CSV file
 * loads exactly like the JSON it came from. No header line: COPY would load it as a row.
 *
 * <p>A payload that is not UTF-8 or not one JSON object fails with a {@link
 * FormatConversionException} saying what is wrong, never what the record held.
 */
public final class CsvEncoder implements RecordEncoder {

    private static final long serialVersionUID = 1L;

    private final List<String> columns;

    @Nullable private final ColumnTypes columnTypes;

    private transient JsonCsvRow row;
    private transient JsonToken[] tokens;
    private transient ColumnType[] types;
    private transient ColumnValues converter;
    private transient String[] values;
    private transient JsonCsvRow.Utf8Rows line;

    /**
     * @throws IllegalArgumentException for no columns, an empty name, or a name given twice
     *     (ignoring case)
     */
    public CsvEncoder(List<String> columns) {
        this(columns, null);
    }

    private CsvEncoder(List<String> columns, @Nullable ColumnTypes columnTypes) {
        this.columns = List.copyOf(columns);
        this.columnTypes = columnTypes;
        if (columnTypes != null && columnTypes.columns().size() != columns.size()) {
            throw new IllegalArgumentException(
                    "The staged CSV has "
                            + columns.size()
                            + " fields (csv.columns) but COPY loads "
                            + columnTypes.columns().size()
                            + " columns; COPY maps them by position, so they must match");
        }
        init();
    }

    /** The i-th field is checked against the i-th COPY column: COPY maps CSV fields by position. */
    @Override
    public RecordEncoder typed(ColumnTypes columnTypes) {
        return new CsvEncoder(columns, columnTypes);
    }

    @Override
    public byte[] encode(byte[] payload) throws FormatConversionException {
        if (row == null) {
            init();
        }
        if (!JsonPayloads.isValidUtf8(payload)) {
            throw new FormatConversionException("the record is not valid UTF-8");
        }
        // Read from the bytes and written as bytes: decoding the record to a String and encoding
        // the row back cost two copies per record on the source's thread.
        row.read(payload, values, tokens);
        if (converter != null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = converter.convert(types[i], tokens[i], values[i]);
            }
        }
        return line.row(values);
    }

    private void init() {
        row = new JsonCsvRow(columns, true);
        values = new String[columns.size()];
        tokens = new JsonToken[columns.size()];
        if (columnTypes != null) {
            converter = columnTypes.values();
            types = columnTypes.columns().toArray(new ColumnType[0]);
        }
        line = new JsonCsvRow.Utf8Rows();
    }
}
