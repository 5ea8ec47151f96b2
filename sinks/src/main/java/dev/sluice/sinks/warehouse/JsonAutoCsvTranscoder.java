package dev.sluice.sinks.warehouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JSON lines into CSV rows for PostgreSQL's {@code COPY … FROM STDIN WITH (FORMAT csv)},
 * mapping keys to columns the way Redshift's {@code JSON 'auto'} does, so the same files load the
 * same way into either warehouse.
 *
 * <ul>
 *   <li>Each non-blank line must be exactly one JSON object; its top-level keys are matched to the
 *       column list. With {@code 'auto'} a key must equal the (lower-case) column name; with {@code
 *       'auto ignorecase'} case is ignored. A key seen twice: the later value wins.
 *   <li>Columns come out in column-list order; a column whose key is missing or {@code null} is
 *       NULL; keys matching no column are ignored.
 *   <li>Strings are loaded as their value; numbers and booleans as their JSON text (numbers exactly
 *       as written, {@code 1.50} stays {@code 1.50}); nested objects and arrays as their JSON text,
 *       exactly as written.
 *   <li>{@code EMPTYASNULL} loads {@code ""} as NULL and {@code BLANKSASNULL} loads
 *       white-space-only strings as NULL, as the Redshift options of those names do.
 * </ul>
 *
 * <p>CSV is written with every non-NULL value quoted: NULL is an unquoted empty field and the empty
 * string is {@code ""}, which is how PostgreSQL's CSV format tells them apart. Rows are written as
 * they are read, so a file of any size streams through in constant memory.
 *
 * <p>A line that is not one JSON object, or bytes that are not UTF-8, fail with a {@link
 * MalformedRecordException} naming the file and line; the message never repeats the line.
 */
final class JsonAutoCsvTranscoder {

    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    /** Text Jackson quotes in its messages: record content, or one of JSON's own words. */
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private static final Pattern JSON_WORDS =
            Pattern.compile("null|true|false|NaN|[+-]?INF|[+-]?Infinity");

    /** Redshift's limit on one JSON object is 4 MB; anything far beyond is not a record. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;

    private final int columnCount;
    private final Map<String, Integer> columnByKey;
    private final boolean ignoreCase;
    private final boolean emptyAsNull;
    private final boolean blanksAsNull;

    /**
     * @param columns lower-case column names, in the order COPY lists them
     * @param ignoreCase {@code 'auto ignorecase'} rather than {@code 'auto'}
     */
    JsonAutoCsvTranscoder(
            List<String> columns, boolean ignoreCase, boolean emptyAsNull, boolean blanksAsNull) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("JSON 'auto' needs at least one column");
        }
        this.columnCount = columns.size();
        this.columnByKey = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            columnByKey.put(columns.get(i), i);
        }
        this.ignoreCase = ignoreCase;
        this.emptyAsNull = emptyAsNull;
        this.blanksAsNull = blanksAsNull;
    }

    /** The transcoder that the parsed COPY options ask for. */
    static JsonAutoCsvTranscoder forOptions(List<String> columns, CopyOptions options) {
        String json = options.jsonArgument();
        boolean ignoreCase = json != null && json.trim().equalsIgnoreCase("auto ignorecase");
        return new JsonAutoCsvTranscoder(
                columns,
                ignoreCase,
                options.hasKeyword("EMPTYASNULL"),
                options.hasKeyword("BLANKSASNULL"));
    }

    /**
     * Transcodes every line of {@code in} (UTF-8 JSON lines, already decompressed) to {@code out}.
     * Lines end at {@code \n}, with an optional {@code \r} before it.
     *
     * @param fileUrl the file being read, for error messages
     * @return the number of rows written
     */
    long transcode(String fileUrl, InputStream in, Writer out) throws IOException {
        CharsetDecoder utf8 =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        LineReader lines = new LineReader(in);
        String[] values = new String[columnCount];
        long lineNumber = 0;
        long rows = 0;
        while (lines.next()) {
            lineNumber++;
            if (lines.length() > MAX_LINE_BYTES) {
                throw new MalformedRecordException(
                        fileUrl,
                        lineNumber,
                        "the line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            String line;
            try {
                line = utf8.decode(lines.bytes()).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedRecordException(
                        fileUrl, lineNumber, "the line is not valid UTF-8", e);
            }
            if (line.isBlank()) {
                continue;
            }
            Arrays.fill(values, null);
            parseLine(fileUrl, lineNumber, line, values);
            writeRow(values, out);
            rows++;
        }
        return rows;
    }

    /**
     * Splits a stream into lines of bytes, so that each line is decoded on its own and a bad byte
     * is reported on its own line (a decoding {@code Reader} reads ahead and would blame an earlier
     * one).
     */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int position;
        private int limit;
        private byte[] line = new byte[1024];
        private int length;
        private boolean tooLong;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Reads the next line; false at the end of the stream. */
        boolean next() throws IOException {
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any;
                    }
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                append(start, position - start);
                if (position < limit) {
                    position++; // the newline
                    if (!tooLong && length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return true;
                }
            }
        }

        private void append(int from, int count) {
            if (tooLong) {
                return;
            }
            if (length + count > MAX_LINE_BYTES) {
                // Keep counting nothing more: the line is rejected anyway.
                tooLong = true;
                length = MAX_LINE_BYTES + 1;
                return;
            }
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(buffer, from, line, length, count);
            length += count;
        }

        int length() {
            return length;
        }

        ByteBuffer bytes() {
            return ByteBuffer.wrap(line, 0, length);
        }
    }

    private void parseLine(String fileUrl, long lineNumber, String line, String[] values)
            throws MalformedRecordException {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRecordException(
                        fileUrl, lineNumber, "expected a JSON object, found " + describe(parser));
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                Integer column = columnFor(parser.currentName());
                JsonToken value = parser.nextToken();
                if (column == null) {
                    parser.skipChildren();
                } else {
                    values[column] = text(parser, value, line);
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new MalformedRecordException(
                        fileUrl, lineNumber, "the JSON object is not closed");
            }
            if (parser.nextToken() != null) {
                throw new MalformedRecordException(
                        fileUrl,
                        lineNumber,
                        "more than one JSON value on the line (expected one object per line)");
            }
        } catch (MalformedRecordException e) {
            throw e;
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            // Not chained: Jackson's exception quotes the record, which may be personal data.
            throw new MalformedRecordException(
                    fileUrl, lineNumber, "invalid JSON" + where + ": " + withoutContent(e));
        } catch (IOException e) {
            // Parsing a String only fails on content, but keep the file and line if it ever does.
            throw new MalformedRecordException(fileUrl, lineNumber, e.getMessage(), e);
        }
    }

    /**
     * Jackson's own message, minus the record content it sometimes quotes ({@code Unrecognized
     * token 'jane.doe'}): records may hold personal data and error messages end up in logs.
     */
    private static String withoutContent(JsonProcessingException e) {
        String message =
                QUOTED.matcher(String.valueOf(e.getOriginalMessage()))
                        .replaceAll(
                                quoted ->
                                        JSON_WORDS.matcher(quoted.group(1)).matches()
                                                ? Matcher.quoteReplacement(quoted.group())
                                                : "'…'");
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private Integer columnFor(String key) {
        return columnByKey.get(ignoreCase ? key.toLowerCase(Locale.ROOT) : key);
    }

    private static String text(JsonParser parser, JsonToken value, String line) throws IOException {
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
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getCharOffset();
                return line.substring(start, end);
            default:
                throw new JsonProcessingException(
                        "unexpected " + value, parser.currentLocation()) {};
        }
    }

    private void writeRow(String[] values, Writer out) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String value = values[i];
            if (value == null
                    || (emptyAsNull && value.isEmpty())
                    || (blanksAsNull && !value.isEmpty() && value.isBlank())) {
                continue;
            }
            writeQuoted(value, out);
        }
        out.write('\n');
    }

    private static void writeQuoted(String value, Writer out) throws IOException {
        out.write('"');
        int from = 0;
        for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', from)) {
            out.write(value, from, i + 1 - from);
            out.write('"');
            from = i + 1;
        }
        out.write(value, from, value.length() - from);
        out.write('"');
    }

    private static String describe(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }
}
