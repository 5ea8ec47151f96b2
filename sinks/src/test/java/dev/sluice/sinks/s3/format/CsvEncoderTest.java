package dev.sluice.sinks.s3.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON objects to CSV lines: column order, case-insensitive keys, NULL vs empty, quoting. */
class CsvEncoderTest {

    private final CsvEncoder encoder = new CsvEncoder(List.of("id", "Name", "note", "nested"));

    @Test
    void columnsComeOutInDeclaredOrderWithKeysMatchedIgnoringCase() throws Exception {
        assertThat(
                        csv(
                                "{\"nested\":{\"a\":[1, 2]},\"NOTE\":\"n\",\"name\":\"x\",\"ID\":7,\"other\":1}"))
                .isEqualTo("\"7\",\"x\",\"n\",\"{\"\"a\"\":[1, 2]}\"");
    }

    @Test
    void missingAndNullAreTheUnquotedMarkerWhileTheEmptyStringIsQuoted() throws Exception {
        assertThat(csv("{\"id\":1,\"name\":null,\"note\":\"\"}")).isEqualTo("\"1\",\\N,\"\",\\N");
    }

    @Test
    void numbersKeepTheirTextAndBooleansAreWords() throws Exception {
        assertThat(csv("{\"id\":1.50,\"name\":true,\"note\":false,\"nested\":-2e3}"))
                .isEqualTo("\"1.50\",\"true\",\"false\",\"-2e3\"");
    }

    @Test
    void quotesCommasAndLineBreaksStayInsideOneQuotedField() throws Exception {
        assertThat(csv("{\"id\":1,\"name\":\"a \\\"b\\\", c\\nd\"}"))
                .isEqualTo("\"1\",\"a \"\"b\"\", c\nd\",\\N,\\N");
    }

    @Test
    void aLaterDuplicateKeyWins() throws Exception {
        assertThat(csv("{\"id\":1,\"ID\":2}")).isEqualTo("\"2\",\\N,\\N,\\N");
    }

    @Test
    void whatIsNotOneJsonObjectFailsWithoutEchoingThePayload() {
        assertFails("[\"secret\"]", "expected a JSON object, found an array");
        assertFails("\"secret\"", "expected a JSON object, found a string");
        assertFails("", "expected a JSON object, found nothing");
        assertFails("{\"id\":secret}", "invalid JSON at column 14: Unrecognized token '…'");
        assertFails("{\"id\":\"secret\"", "invalid JSON at column");
        assertFails("{\"id\":1}{\"secret\":2}", "more than one JSON value");
        assertThatThrownBy(() -> encoder.encode(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}))
                .isInstanceOf(FormatConversionException.class)
                .hasMessage("the record is not valid UTF-8");
    }

    @Test
    void textBeyondAsciiIsWrittenAsUtf8() throws Exception {
        assertThat(csv("{\"id\":\"café \\\"中\\\" 😀\",\"nested\":[\"ü\"],\"note\":\"\\u00e9\"}"))
                .isEqualTo("\"café \"\"中\"\" 😀\",\\N,\"é\",\"[\"\"ü\"\"]\"");
    }

    /**
     * The encoder reads the record's bytes with byte offsets and writes bytes. On random objects
     * with escapes, characters of every UTF-8 width and nested values it must give the row that a
     * plain reference gives, which decodes the record first and works on characters.
     */
    @Test
    void bytesInAndOutGiveTheRowAReadingOfTheDecodedTextGives() throws Exception {
        List<String> columns = List.of("id", "name", "note", "nested");
        String[] pieces = {
            "a", "\\\"", ",", "\\n", "é", "中", "😀", "\\u0041", "\\ud83d\\ude00", " ", "\\\\"
        };
        String[] keys = {"id", "NAME", "note", "nested", "other", "Id"};
        Random random = new Random(20261202L);
        for (int round = 0; round < 5_000; round++) {
            StringBuilder json = new StringBuilder("{");
            for (int field = random.nextInt(6); field > 0; field--) {
                json.append('"').append(keys[random.nextInt(keys.length)]).append("\":");
                switch (random.nextInt(4)) {
                    case 0:
                        json.append(random.nextInt(2000) - 1000).append(".5");
                        break;
                    case 1:
                        json.append("{\"k\": [\"")
                                .append(pieces[random.nextInt(5) + 4])
                                .append("\"]}");
                        break;
                    case 2:
                        json.append("null");
                        break;
                    default:
                        json.append('"');
                        for (int p = random.nextInt(6); p > 0; p--) {
                            json.append(pieces[random.nextInt(pieces.length)]);
                        }
                        json.append('"');
                }
                json.append(field > 1 ? "," : "");
            }
            String object = json.append('}').toString();
            assertThat(
                            new String(
                                    encoder.encode(object.getBytes(StandardCharsets.UTF_8)),
                                    StandardCharsets.UTF_8))
                    .as(object)
                    .isEqualTo(referenceRow(object, columns));
        }
    }

    /** The row by the simplest means: characters, char offsets, and a quote doubled by replace. */
    private static String referenceRow(String json, List<String> columns) throws IOException {
        String[] values = new String[columns.size()];
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int column = columns.indexOf(parser.currentName().toLowerCase(Locale.ROOT));
                JsonToken value = parser.nextToken();
                String text;
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    text = json.substring(start, (int) parser.currentLocation().getCharOffset());
                } else {
                    text = value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                if (column >= 0) {
                    values[column] = text;
                }
            }
        }
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            row.append(i > 0 ? "," : "")
                    .append(
                            values[i] == null
                                    ? JsonCsvRow.NULL_MARKER
                                    : '"' + values[i].replace("\"", "\"\"") + '"');
        }
        return row.toString();
    }

    @Test
    void columnNamesMustBeNonEmptyAndUniqueIgnoringCase() {
        assertThatThrownBy(() -> new CsvEncoder(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one column");
        assertThatThrownBy(() -> new CsvEncoder(List.of("id", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 2 has no name");
        assertThatThrownBy(() -> new CsvEncoder(List.of("id", "name", "ID")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'ID' is listed twice (names are matched ignoring case)");
    }

    private String csv(String json) throws FormatConversionException {
        return new String(
                encoder.encode(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private void assertFails(String payload, String message) {
        EncoderAssertions.assertFailsWithoutEcho(encoder, payload, message);
    }
}
