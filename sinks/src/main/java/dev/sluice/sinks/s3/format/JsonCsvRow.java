package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.JsonPayloads;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one mapping from a JSON object to a CSV row of declared columns, shared by CSV staging files
 * ({@link CsvEncoder}) and the PostgreSQL loader's {@code JSON 'auto'} transcoding, so that a CSV
 * file staged by Sluice and a JSON file loaded through the loader put the same values in the same
 * columns. It follows Redshift's {@code JSON 'auto'}:
 *
 * <ul>
 *   <li>The top-level keys are matched to the column list, exactly or ignoring case. A key seen
 *       twice: the later value wins. Keys matching no column are ignored.
 *   <li>A column whose key is missing or {@code null} is NULL.
 *   <li>Strings are their value; numbers and booleans their JSON text (numbers exactly as written,
 *       {@code 1.50} stays {@code 1.50}); nested objects and arrays their JSON text, exactly as
 *       written.
 * </ul>
 *
 * <p><b>The NULL convention.</b> Every non-NULL value is written quoted, and NULL is the unquoted
 * marker {@value #NULL_MARKER}: {@code "a",\N,""} is {@code a}, NULL, and the empty string. Since
 * real values are always quoted, no value can be mistaken for the marker, and {@code ""} stays the
 * empty string in either warehouse: the loader tells PostgreSQL's COPY {@code NULL '\N'} and
 * Redshift's {@code NULL AS '\N'} (Redshift's CSV COPY would otherwise load an empty unquoted field
 * into a {@code VARCHAR} as the empty string). This convention is the contract between the files
 * and the loader. Quotes inside values are doubled (RFC 4180); line breaks stay inside the quotes.
 */
public final class JsonCsvRow {

    /** What an unquoted field holds for NULL; see the class comment. */
    public static final String NULL_MARKER = "\\N";

    private final Map<String, Integer> columnByKey = new HashMap<>();
    private final int columnCount;
    private final boolean ignoreCase;

    /**
     * @param columns the columns in file order; with {@code ignoreCase} they must be unique
     *     ignoring case
     * @param ignoreCase match keys to columns ignoring case ({@code 'auto ignorecase'})
     * @throws IllegalArgumentException for no columns, an empty name, or a name given twice
     */
    public JsonCsvRow(List<String> columns, boolean ignoreCase) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV row needs at least one column");
        }
        this.ignoreCase = ignoreCase;
        this.columnCount = columns.size();
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("column " + (i + 1) + " has no name");
            }
            if (columnByKey.putIfAbsent(key(column), i) != null) {
                throw new IllegalArgumentException(
                        "column '"
                                + column
                                + "' is listed twice"
                                + (ignoreCase ? " (names are matched ignoring case)" : ""));
            }
        }
    }

    public int columnCount() {
        return columnCount;
    }

    /**
     * Reads one JSON object from UTF-8 bytes into {@code values}, one per column, NULL as {@code
     * null}. The caller has checked that the bytes are valid UTF-8 ({@link
     * JsonPayloads#isValidUtf8}); the parser reads them as they are, with no decoded copy.
     *
     * @param values exactly {@link #columnCount()} long; overwritten
     * @param tokens null, or exactly {@link #columnCount()} long: each column's JSON token ({@code
     *     VALUE_STRING}, {@code START_OBJECT}, …; {@code VALUE_NULL} for a missing key)
     * @throws FormatConversionException if {@code json} is not exactly one JSON object; the message
     *     never repeats the content
     */
    public void read(byte[] json, String[] values, @Nullable JsonToken[] tokens)
            throws FormatConversionException {
        read(json, json.length, values, tokens);
    }

    /** As {@link #read(byte[], String[], JsonToken[])}, from the first {@code length} bytes. */
    public void read(byte[] json, int length, String[] values, @Nullable JsonToken[] tokens)
            throws FormatConversionException {
        Arrays.fill(values, null);
        if (tokens != null) {
            Arrays.fill(tokens, JsonToken.VALUE_NULL);
        }
        try (JsonParser parser = JsonPayloads.JSON.createParser(json, 0, length)) {
            expectObjectStart(parser);
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                Integer column = column(parser.currentName());
                JsonToken value = parser.nextToken();
                if (column == null) {
                    parser.skipChildren();
                } else {
                    values[column] = text(parser, value, json);
                    if (tokens != null) {
                        tokens[column] = value;
                    }
                }
            }
            expectEndOfLine(parser, token);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Parsing in memory only fails on content; the message never holds the content. */
    static FormatConversionException unreadable(IOException e) {
        return e instanceof JsonProcessingException
                ? new FormatConversionException(
                        JsonPayloads.invalidJson((JsonProcessingException) e))
                : new FormatConversionException("cannot read the record: " + e.getMessage());
    }

    /** Before the top-level fields: the record must open an object. */
    static void expectObjectStart(JsonParser parser) throws IOException, FormatConversionException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new FormatConversionException(
                    "expected a JSON object, found " + JsonPayloads.describe(first));
        }
    }

    /**
     * After the top-level fields: {@code token} must close the object, and nothing may follow it.
     */
    static void expectEndOfLine(JsonParser parser, JsonToken token)
            throws IOException, FormatConversionException {
        if (token != JsonToken.END_OBJECT) {
            throw new FormatConversionException("the JSON object is not closed");
        }
        if (parser.nextToken() != null) {
            throw new FormatConversionException(
                    "more than one JSON value on the line (expected one object per line)");
        }
    }

    /**
     * Writes rows of values as CSV in UTF-8, without a line break: NULL as the unquoted {@link
     * #NULL_MARKER}, everything else quoted (see the class comment). One buffer is reused for every
     * row. Not thread-safe: one per encoder or load.
     */
    public static final class Utf8Rows {

        private static final byte[] NULL_BYTES = NULL_MARKER.getBytes(StandardCharsets.US_ASCII);

        private byte[] buffer = new byte[256];
        private int length;

        /** The row of {@code values}. */
        public byte[] row(String[] values) {
            length = 0;
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    put((byte) ',');
                }
                String value = values[i];
                if (value == null) {
                    for (byte b : NULL_BYTES) {
                        put(b);
                    }
                } else {
                    putQuoted(value);
                }
            }
            return Arrays.copyOf(buffer, length);
        }

        private void putQuoted(String value) {
            // Whole values at a time: the JDK encodes and copies them with vectorized intrinsics,
            // several times faster than a loop over the characters.
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            ensure(utf8.length + 2);
            buffer[length++] = '"';
            if (value.indexOf('"') < 0) {
                System.arraycopy(utf8, 0, buffer, length, utf8.length);
                length += utf8.length;
            } else {
                // A quote is one byte in UTF-8 and never part of a longer sequence, so doubling
                // it byte by byte is exact.
                for (byte b : utf8) {
                    if (b == '"') {
                        ensure(1);
                        buffer[length++] = b;
                    }
                    ensure(1);
                    buffer[length++] = b;
                }
            }
            ensure(1);
            buffer[length++] = '"';
        }

        private void put(byte b) {
            ensure(1);
            buffer[length++] = b;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }

    private String key(String name) {
        return ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
    }

    /**
     * The column a key names, or null. With {@code ignoreCase} the map holds lower-case names, so a
     * key found as it is was already lower case; only other keys pay for lower-casing (once per key
     * per record, it was 7 % of a CSV row's time).
     */
    private Integer column(String key) {
        Integer column = columnByKey.get(key);
        return column != null || !ignoreCase ? column : columnByKey.get(key(key));
    }

    private static String text(JsonParser parser, JsonToken value, byte[] json) throws IOException {
        switch (value) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case START_OBJECT:
            case START_ARRAY:
                // Exactly as written: the bytes between the token's start and the end of its skip.
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                return new String(json, start, end - start, StandardCharsets.UTF_8);
            default:
                throw new JsonProcessingException(
                        "unexpected " + value, parser.currentLocation()) {};
        }
    }
}
