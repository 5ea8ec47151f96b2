package dev.sluice.sinks.s3.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Type-aware staging of JSON lines and CSV: each value checked against its column's type as the
 * catalog gives it, epoch numbers turned into timestamps, and anything the table would refuse
 * refused here with the column named and the value never repeated.
 */
class TypedStagingTest {

    private static final List<ColumnType> COLUMNS =
            List.of(
                    column("id", "integer", null, 32, 0),
                    column("name", "character varying", 8, null, null),
                    column("at", "timestamp without time zone", null, null, null),
                    column("at_tz", "timestamp with time zone", null, null, null),
                    column("day", "date", null, null, null),
                    column("small", "smallint", null, 16, 0),
                    column("big", "bigint", null, 64, 0),
                    column("price", "numeric", null, 5, 2),
                    column("ratio", "real", null, 24, null),
                    column("flag", "boolean", null, null, null),
                    column("doc", "jsonb", null, null, null));

    private static ColumnType column(
            String name, String type, Integer length, Integer precision, Integer scale) {
        return ColumnType.fromCatalog(name, type, length, precision, scale, false);
    }

    private static RecordEncoder json() {
        return new JsonLineEncoder().typed(new ColumnTypes(COLUMNS, false, false, true));
    }

    private static String encode(RecordEncoder encoder, String record)
            throws FormatConversionException {
        return new String(
                encoder.encode(record.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static String refusal(String record) {
        return refusal(json(), record);
    }

    private static String refusal(RecordEncoder encoder, String record) {
        try {
            encode(encoder, record);
        } catch (FormatConversionException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + record);
    }

    @Test
    void aLineThatAlreadyFitsIsStagedByteForByte() throws Exception {
        String line =
                "{ \"id\" : 7, \"name\":\"ok\",\"at\":\"2026-11-22T08:00:00Z\", \"other\":[1,2],"
                        + "\"price\":\"123.456\",\"flag\":true,\"doc\":{\"a\":1}}";
        assertThat(encode(json(), line)).isEqualTo(line);
    }

    @Test
    void epochMillisAndSecondsBecomeUtcTimestampsInPlace() throws Exception {
        assertThat(encode(json(), "{\"id\":1,\"at\":1763719800000,\"name\":\"x\"}"))
                .isEqualTo("{\"id\":1,\"at\":\"2025-11-21 10:10:00\",\"name\":\"x\"}");
        assertThat(encode(json(), "{\"at\":1763719800}"))
                .isEqualTo("{\"at\":\"2025-11-21 10:10:00\"}");
        assertThat(encode(json(), "{\"at\":\"1763719800123\"}"))
                .isEqualTo("{\"at\":\"2025-11-21 10:10:00.123\"}");
        assertThat(encode(json(), "{\"at_tz\":1763719800.5}"))
                .isEqualTo("{\"at_tz\":\"2025-11-21 10:10:00.500+00\"}");
        assertThat(encode(json(), "{\"day\":1763719800000}")).isEqualTo("{\"day\":\"2025-11-21\"}");
        // Offsets are bytes: characters of two and four bytes before, between and after the
        // rewritten values must not shift them.
        assertThat(encode(json(), "{\"name\":\"ü😀\",\"at\":1763719800000,\"x\":\"é\",\"day\":0}"))
                .isEqualTo(
                        "{\"name\":\"ü😀\",\"at\":\"2025-11-21 10:10:00\",\"x\":\"é\","
                                + "\"day\":\"1970-01-01\"}");
    }

    @Test
    void epochNumbersStayNumbersWhenTimeformatSaysEpochs() throws Exception {
        RecordEncoder encoder =
                new JsonLineEncoder().typed(new ColumnTypes(COLUMNS, false, false, false));
        assertThat(encode(encoder, "{\"at\":1763719800000}")).isEqualTo("{\"at\":1763719800000}");
    }

    @Test
    void valuesTheTableCannotHoldAreRefusedNamingTheColumn() {
        assertThat(refusal("{\"name\":\"123456789\"}"))
                .isEqualTo(
                        "a value of 9 characters is not a valid character varying(8) for column"
                                + " 'name'");
        assertThat(refusal("{\"at\":\"2026-13-45T25:61:00Z\"}"))
                .contains("impossible date", "column 'at'");
        assertThat(refusal("{\"day\":\"2026-02-29\"}")).contains("column 'day'");
        assertThat(refusal("{\"id\":1e400}")).contains("out of its range", "column 'id'");
        assertThat(refusal("{\"id\":\"12abc\"}")).contains("not a number", "column 'id'");
        assertThat(refusal("{\"id\":1.5}")).contains("fraction", "column 'id'");
        assertThat(refusal("{\"id\":2147483648}")).contains("column 'id'");
        assertThat(refusal("{\"small\":32768}")).contains("column 'small'");
        assertThat(refusal("{\"big\":9223372036854775808}")).contains("column 'big'");
        assertThat(refusal("{\"price\":1000}")).contains("numeric(5,2)", "column 'price'");
        assertThat(refusal("{\"ratio\":1e39}")).contains("column 'ratio'");
        assertThat(refusal("{\"name\":\"a\\u0000b\"}")).contains("NUL", "column 'name'");
        assertThat(refusal("{\"id\":{\"n\":1}}"))
                .isEqualTo("a JSON object is not a valid integer for column 'id'");
        assertThat(refusal("{\"at\":[1]}")).contains("array", "column 'at'");
        assertThat(refusal("{\"flag\":\"maybe\"}")).contains("column 'flag'");
        assertThat(refusal("[1,2]")).contains("expected a JSON object");
    }

    @Test
    void refusalsNeverRepeatTheValue() {
        assertThat(refusal("{\"id\":\"secret-12abc\"}")).doesNotContain("secret");
        assertThat(refusal("{\"name\":\"secret-value-too-long\"}")).doesNotContain("secret");
    }

    @Test
    void valuesAtTheLimitsFit() throws Exception {
        String line =
                "{\"id\":-2147483648,\"name\":\"äöüäöüäö\",\"price\":999.994,\"small\":\"32767\","
                        + "\"at\":\"2024-02-29 24:00:00\",\"ratio\":\"NaN\",\"flag\":\"off\","
                        + "\"id\":2.0,\"at_tz\":\"2026-11-22T08:00:00.123456+01:00\",\"x\":null}";
        assertThat(encode(json(), line)).isEqualTo(line);
    }

    @Test
    void truncateColumnsCutsTextToFitInCharactersOrRedshiftBytes() throws Exception {
        RecordEncoder postgres =
                new JsonLineEncoder().typed(new ColumnTypes(COLUMNS, false, true, true));
        assertThat(encode(postgres, "{\"name\":\"äöüäöüäöü\"}"))
                .isEqualTo("{\"name\":\"äöüäöüäö\"}");
        ColumnType bytes = ColumnType.fromCatalog("name", "character varying", 5, null, null, true);
        RecordEncoder redshift =
                new JsonLineEncoder().typed(new ColumnTypes(List.of(bytes), false, true, true));
        assertThat(encode(redshift, "{\"name\":\"aäöü\"}")).isEqualTo("{\"name\":\"aäö\"}");
        RecordEncoder strict =
                new JsonLineEncoder().typed(new ColumnTypes(List.of(bytes), false, false, true));
        assertThat(refusal(strict, "{\"name\":\"aäöü\"}"))
                .isEqualTo(
                        "a value of 7 UTF-8 bytes is not a valid character varying(5) for column"
                                + " 'name'");
    }

    @Test
    void keysMatchColumnsAsJsonAutoDoesExactlyOrIgnoringCase() throws Exception {
        assertThat(encode(json(), "{\"AT\":1763719800000}")).isEqualTo("{\"AT\":1763719800000}");
        RecordEncoder ignoreCase =
                new JsonLineEncoder().typed(new ColumnTypes(COLUMNS, true, false, true));
        assertThat(encode(ignoreCase, "{\"AT\":1763719800000}"))
                .isEqualTo("{\"AT\":\"2025-11-21 10:10:00\"}");
    }

    @Test
    void csvFieldsAreCheckedAgainstTheCopyColumnAtTheirPosition() throws Exception {
        List<ColumnType> copy = List.of(COLUMNS.get(0), COLUMNS.get(1), COLUMNS.get(2));
        RecordEncoder csv =
                new CsvEncoder(List.of("event_id", "label", "ts"))
                        .typed(new ColumnTypes(copy, false, false, true));
        assertThat(encode(csv, "{\"event_id\":3,\"label\":\"x\",\"ts\":1763719800}"))
                .isEqualTo("\"3\",\"x\",\"2025-11-21 10:10:00\"");
        assertThat(refusal(csv, "{\"event_id\":\"12abc\",\"label\":\"x\"}"))
                .contains("column 'id'");
        assertThat(refusal(csv, "{\"event_id\":1,\"label\":\"123456789\"}"))
                .contains("column 'name'");
        assertThatThrownBy(
                        () ->
                                new CsvEncoder(List.of("a", "b"))
                                        .typed(new ColumnTypes(copy, false, false, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 fields");
    }

    @Test
    void catalogTypeNamesOfBothWarehousesMapToTheSameKinds() {
        assertThat(ColumnType.kindOf("character varying")).isEqualTo(ColumnType.Kind.TEXT);
        assertThat(ColumnType.kindOf("character")).isEqualTo(ColumnType.Kind.TEXT);
        assertThat(ColumnType.kindOf("timestamp with time zone"))
                .isEqualTo(ColumnType.Kind.TIMESTAMPTZ);
        assertThat(ColumnType.kindOf("double precision")).isEqualTo(ColumnType.Kind.DOUBLE);
        assertThat(ColumnType.kindOf("super")).isEqualTo(ColumnType.Kind.OTHER);
        assertThat(ColumnType.fromCatalog("c", "numeric", null, null, null, false).precision())
                .as("unconstrained numeric")
                .isEqualTo(-1);
    }
}
