package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.JsonPayloads;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
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

    private transient JsonCsvRow row;
    private transient String[] values;
    private transient StringBuilder line;

    /**
     * @throws IllegalArgumentException for no columns, an empty name, or a name given twice
     *     (ignoring case)
     */
    public CsvEncoder(List<String> columns) {
        this.columns = List.copyOf(columns);
        init();
    }

    @Override
    public byte[] encode(byte[] payload) throws FormatConversionException {
        if (row == null) {
            init();
        }
        String json;
        try {
            json = JsonPayloads.utf8(payload);
        } catch (CharacterCodingException e) {
            throw new FormatConversionException("the record is not valid UTF-8");
        }
        row.read(json, values);
        line.setLength(0);
        JsonCsvRow.appendRow(values, line);
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void init() {
        row = new JsonCsvRow(columns, true);
        values = new String[columns.size()];
        line = new StringBuilder(256);
    }
}
