package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.JsonPayloads;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * JSON lines whose values fit the warehouse table: each record must be one JSON object, and each
 * top-level value that {@code JSON 'auto'} would load into a column is checked and, where needed,
 * rewritten by {@link ColumnValues} (an epoch number into a timestamp column becomes a timestamp
 * string). Only those values are replaced, in place; the rest of the line, key order and spacing
 * included, stays byte for byte as the transform left it, and a line that needs no change is staged
 * as it came.
 *
 * <p>What {@link JsonLineEncoder} does to line breaks happens first. A record that is not UTF-8 or
 * not one JSON object is refused here, rather than at load time where it would reject a row.
 */
final class TypedJsonLineEncoder implements RecordEncoder {

    private static final long serialVersionUID = 1L;

    private final ColumnTypes columnTypes;
    private transient ColumnValues converter;

    TypedJsonLineEncoder(ColumnTypes columnTypes) {
        this.columnTypes = checkNotNull(columnTypes, "columnTypes");
        this.converter = columnTypes.values();
    }

    @Override
    public RecordEncoder typed(ColumnTypes columns) {
        return new TypedJsonLineEncoder(columns);
    }

    @Override
    public byte[] encode(byte[] payload) throws FormatConversionException {
        if (converter == null) {
            converter = columnTypes.values();
        }
        byte[] line = JsonLineEncoder.oneLine(payload);
        if (line.length == 0) {
            throw new FormatConversionException("empty record: a JSON line needs a document");
        }
        if (!JsonPayloads.isValidUtf8(line)) {
            throw new FormatConversionException("the record is not valid UTF-8");
        }
        // Read from the bytes, with byte offsets: decoding the line to a String first cost a copy
        // and a second pass per record, for lines that mostly need no change at all.
        ByteArrayOutputStream rewritten = null;
        int copiedUpTo = 0;
        try (JsonParser parser = JsonPayloads.JSON.createParser(line)) {
            JsonCsvRow.expectObjectStart(parser);
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                ColumnType column = converter.forKey(parser.currentName());
                JsonToken value = parser.nextToken();
                if (column == null) {
                    parser.skipChildren();
                    continue;
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                String text;
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    int after = (int) parser.currentLocation().getByteOffset();
                    text = new String(line, start, after - start, StandardCharsets.UTF_8);
                } else {
                    // Reading the text completes the token, so the offset below is its end.
                    text = value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                int end = (int) parser.currentLocation().getByteOffset();
                String converted = converter.convert(column, value, text);
                if (converted != null && !converted.equals(text)) {
                    if (rewritten == null) {
                        rewritten = new ByteArrayOutputStream(line.length + 16);
                    }
                    rewritten.write(line, copiedUpTo, start - copiedUpTo);
                    rewritten.write('"');
                    rewritten.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(converted));
                    rewritten.write('"');
                    copiedUpTo = end;
                }
            }
            JsonCsvRow.expectEndOfLine(parser, token);
        } catch (IOException e) {
            throw JsonCsvRow.unreadable(e);
        }
        if (rewritten == null) {
            return line;
        }
        rewritten.write(line, copiedUpTo, line.length - copiedUpTo);
        return rewritten.toByteArray();
    }
}
