package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CSV that the postgres dialect streams to COPY for each kind of JSON line. */
class JsonAutoCsvTranscoderTest {

    private static final List<String> COLUMNS = List.of("id", "name", "payload");

    @Test
    void valuesComeOutInColumnOrderWithMissingKeysAsNullAndExtraKeysIgnored() throws IOException {
        assertThat(csv("{\"payload\":\"p\",\"extra\":1,\"id\":7}")).isEqualTo("\"7\",\\N,\"p\"\n");
    }

    @Test
    void nullIsTheUnquotedMarkerAndTheEmptyStringIsQuoted() throws IOException {
        assertThat(csv("{\"id\":null,\"name\":\"\"}")).isEqualTo("\\N,\"\",\\N\n");
    }

    @Test
    void numbersAndBooleansKeepTheirJsonTextExactly() throws IOException {
        assertThat(csv("{\"id\":1.50,\"name\":true,\"payload\":-1e400}"))
                .isEqualTo("\"1.50\",\"true\",\"-1e400\"\n");
        assertThat(csv("{\"id\":12345678901234567890123,\"name\":false}"))
                .isEqualTo("\"12345678901234567890123\",\"false\",\\N\n");
    }

    @Test
    void nestedObjectsAndArraysBecomeTheirJsonTextAsWritten() throws IOException {
        assertThat(csv("{\"id\":1, \"payload\": {\"a\": [1, {\"b\":\"c\"}], \"d\":null} }"))
                .isEqualTo(
                        "\"1\",\\N,\"{\"\"a\"\": [1, {\"\"b\"\":\"\"c\"\"}], \"\"d\"\":null}\"\n");
        assertThat(csv("{\"name\":[],\"payload\":[\"x\",2]}"))
                .isEqualTo("\\N,\"[]\",\"[\"\"x\"\",2]\"\n");
    }

    @Test
    void quotesCommasAndNewlinesInsideStringsAreCsvQuoted() throws IOException {
        assertThat(csv("{\"name\":\"a \\\"b\\\", c\\nd\"}"))
                .isEqualTo("\\N,\"a \"\"b\"\", c\nd\",\\N\n");
    }

    @Test
    void textBeyondAsciiKeepsItsCharactersInStringsAndNestedValues() throws IOException {
        assertThat(csv("{\"id\":\"é\\u00e9\",\"name\":\"中 😀\",\"payload\":{\"ü\":[\"ß\"]}}"))
                .isEqualTo("\"éé\",\"中 😀\",\"{\"\"ü\"\":[\"\"ß\"\"]}\"\n");
    }

    @Test
    void autoMatchesKeysCaseSensitively() throws IOException {
        assertThat(csv("{\"ID\":1,\"Name\":\"x\"}")).isEqualTo("\\N,\\N,\\N\n");
    }

    @Test
    void autoIgnorecaseMatchesKeysInAnyCaseAndTheLaterDuplicateWins() throws IOException {
        JsonAutoCsvTranscoder ignoreCase = new JsonAutoCsvTranscoder(COLUMNS, true, false, false);

        assertThat(csv(ignoreCase, "{\"ID\":1,\"Name\":\"x\",\"NAME\":\"y\"}"))
                .isEqualTo("\"1\",\"y\",\\N\n");
    }

    @Test
    void emptyAsNullAndBlanksAsNullFollowTheRedshiftOptions() throws IOException {
        JsonAutoCsvTranscoder transcoder =
                JsonAutoCsvTranscoder.forOptions(
                        COLUMNS, CopyOptions.parse("JSON 'auto' EMPTYASNULL BLANKSASNULL"));

        assertThat(csv(transcoder, "{\"id\":\"\",\"name\":\" \\t\",\"payload\":\" x \"}"))
                .isEqualTo("\\N,\\N,\" x \"\n");
    }

    @Test
    void blankLinesAreSkippedAndRowsCounted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rows =
                new JsonAutoCsvTranscoder(COLUMNS, false, false, false)
                        .transcode(
                                "s3://b/f.gz",
                                utf8("{\"id\":1}\n\n  \n\t\u2003\u3000\n{\"id\":2}"),
                                out);

        assertThat(rows).as("white space of any kind makes a blank line").isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("\"1\",\\N,\\N\n\"2\",\\N,\\N\n");
    }

    @Test
    void crlfLineEndsAndAMissingFinalNewlineAreAccepted() throws IOException {
        assertThat(csv("{\"id\":1}\r\n{\"id\":2}")).isEqualTo("\"1\",\\N,\\N\n\"2\",\\N,\\N\n");
    }

    @Test
    void invalidUtf8IsReportedOnItsOwnLine() {
        byte[] bytes =
                "{\"id\":1}\n{\"id\":2}\n{\"name\":\"xx\"}\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xC3; // a lead byte followed by '"'
        assertThatThrownBy(
                        () ->
                                new JsonAutoCsvTranscoder(COLUMNS, false, false, false)
                                        .transcode(
                                                "s3://b/f.gz",
                                                new ByteArrayInputStream(bytes),
                                                new ByteArrayOutputStream()))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("Cannot load s3://b/f.gz:3: the line is not valid UTF-8");
    }

    @Test
    void malformedLinesNameFileAndLineWithoutEchoingTheirContent() {
        assertMalformed("{\"id\":1}\n{\"id\":\"secret-value", 2, "invalid JSON at column");
        assertMalformed("[1,2]", 1, "expected a JSON object, found an array");
        assertMalformed("\n\n\"text\"", 3, "expected a JSON object, found a string");
        assertMalformed("{\"id\":1}{\"id\":2}", 1, "more than one JSON value on the line");
        assertMalformed("{\"id\":1} trailing", 1, "invalid JSON at column");
        assertMalformed("{\"id\":1,}", 1, "invalid JSON at column");
        assertMalformed(
                "{\"id\":secret-value}",
                1,
                "invalid JSON at column 14: Unrecognized token '…': was expecting (JSON String,"
                        + " Number, Array, Object or token 'null', 'true' or 'false')");
    }

    private static void assertMalformed(String content, int line, String problem) {
        assertThatThrownBy(
                        () ->
                                new JsonAutoCsvTranscoder(COLUMNS, false, false, false)
                                        .transcode(
                                                "s3://b/f.gz",
                                                utf8(content),
                                                new ByteArrayOutputStream()))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("Cannot load s3://b/f.gz:" + line + ": " + problem)
                .satisfies(
                        e -> {
                            StringWriter trace = new StringWriter();
                            e.printStackTrace(new PrintWriter(trace));
                            assertThat(trace.toString()).doesNotContain("secret-value");
                        });
    }

    private static String csv(String line) throws IOException {
        return csv(new JsonAutoCsvTranscoder(COLUMNS, false, false, false), line);
    }

    private static String csv(JsonAutoCsvTranscoder transcoder, String line) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transcoder.transcode("s3://b/f.gz", utf8(line), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
