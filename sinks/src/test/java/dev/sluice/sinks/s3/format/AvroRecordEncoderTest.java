package dev.sluice.sinks.s3.format;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON objects to binary Avro datums of a schema: types, nulls, defaults, logical types, errors.
 */
class AvroRecordEncoderTest {

    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"T\",\"fields\":["
                    + "{\"name\":\"i\",\"type\":\"int\"},"
                    + "{\"name\":\"l\",\"type\":[\"null\",\"long\"]},"
                    + "{\"name\":\"f\",\"type\":[\"null\",\"float\"],\"default\":null},"
                    + "{\"name\":\"d\",\"type\":[\"null\",\"double\"],\"default\":null},"
                    + "{\"name\":\"b\",\"type\":[\"null\",\"boolean\"],\"default\":null},"
                    + "{\"name\":\"s\",\"type\":[\"null\",\"string\"],\"default\":null},"
                    + "{\"name\":\"withDefault\",\"type\":\"string\",\"default\":\"dflt\"},"
                    + "{\"name\":\"tsMillis\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},"
                    + "{\"name\":\"tsMicros\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}],\"default\":null},"
                    + "{\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null},"
                    + "{\"name\":\"amount\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":6,\"scale\":2}],\"default\":null},"
                    + "{\"name\":\"color\",\"type\":[\"null\",{\"type\":\"enum\",\"name\":\"Color\",\"symbols\":[\"RED\",\"GREEN\"]}],\"default\":null},"
                    + "{\"name\":\"address\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Address\",\"fields\":["
                    + "{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"zip\",\"type\":[\"null\",\"int\"]}]}],\"default\":null},"
                    + "{\"name\":\"tags\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"string\"}],\"default\":null},"
                    + "{\"name\":\"nums\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\"}],\"default\":null},"
                    + "{\"name\":\"counts\",\"type\":[\"null\",{\"type\":\"map\",\"values\":\"long\"}],\"default\":null}"
                    + "]}";

    private final AvroRecordEncoder encoder = new AvroRecordEncoder(SCHEMA);

    @Test
    void primitivesAreConvertedWithFieldsMatchedIgnoringCase() throws Exception {
        GenericRecord r =
                decode(
                        "{\"I\":1,\"L\":\"9000000000\",\"F\":1.5,\"D\":2,\"B\":\"TRUE\",\"S\":42,\"ignored\":[1]}");
        assertThat(r.get("i")).isEqualTo(1);
        assertThat(r.get("l")).isEqualTo(9_000_000_000L);
        assertThat(r.get("f")).isEqualTo(1.5f);
        assertThat(r.get("d")).isEqualTo(2.0d);
        assertThat(r.get("b")).isEqualTo(true);
        assertThat(r.get("s").toString()).isEqualTo("42");
    }

    @Test
    void missingOrNullNullableFieldsAreNullAndMissingFieldsTakeTheirDefault() throws Exception {
        GenericRecord r = decode("{\"i\":1,\"l\":null}");
        assertThat(r.get("l")).isNull();
        assertThat(r.get("s")).isNull();
        assertThat(r.get("address")).isNull();
        assertThat(r.get("withDefault").toString()).isEqualTo("dflt");
    }

    @Test
    void timestampsAndDatesAreReadFromIso8601OrEpochNumbers() throws Exception {
        long millis = Instant.parse("2026-11-22T08:00:00.123Z").toEpochMilli();
        GenericRecord iso =
                decode(
                        "{\"i\":1,\"tsMillis\":\"2026-11-22T09:00:00.123+01:00\","
                                + "\"tsMicros\":\"2026-11-22T08:00:00.123456\",\"day\":\"2026-11-22\"}");
        assertThat(iso.get("tsMillis")).isEqualTo(millis);
        assertThat(iso.get("tsMicros")).isEqualTo(millis * 1000 + 456);
        assertThat(iso.get("day")).isEqualTo((int) LocalDate.parse("2026-11-22").toEpochDay());

        GenericRecord epoch =
                decode("{\"i\":1,\"tsMillis\":" + millis + ",\"tsMicros\":5,\"day\":3}");
        assertThat(epoch.get("tsMillis")).isEqualTo(millis);
        assertThat(epoch.get("tsMicros")).isEqualTo(5L);
        assertThat(epoch.get("day")).isEqualTo(3);
    }

    @Test
    void decimalsKeepTheirExactValueAtTheSchemaScale() throws Exception {
        Schema amount =
                new Schema.Parser().parse(SCHEMA).getField("amount").schema().getTypes().get(1);
        for (String json : new String[] {"1234.5", "\"1234.50\""}) {
            ByteBuffer bytes =
                    (ByteBuffer) decode("{\"i\":1,\"amount\":" + json + "}").get("amount");
            assertThat(
                            new Conversions.DecimalConversion()
                                    .fromBytes(bytes, amount, LogicalTypes.decimal(6, 2)))
                    .isEqualTo(new BigDecimal("1234.50"));
        }
    }

    @Test
    void nestedRecordsArraysMapsAndEnumsAreConverted() throws Exception {
        GenericRecord r =
                decode(
                        "{\"i\":1,\"address\":{\"CITY\":\"Oslo\"},\"tags\":[\"a\",7,{\"k\":[1]}],"
                                + "\"counts\":{\"x\":3},\"color\":\"GREEN\"}");
        GenericRecord address = (GenericRecord) r.get("address");
        assertThat(address.get("city").toString()).isEqualTo("Oslo");
        assertThat(address.get("zip")).isNull();
        // A string takes a scalar as its text and a nested value as its JSON text, as CSV does.
        assertThat(r.get("tags").toString()).isEqualTo("[a, 7, {\"k\":[1]}]");
        assertThat(r.get("counts").toString()).isEqualTo("{x=3}");
        assertThat(r.get("color").toString()).isEqualTo("GREEN");
    }

    @Test
    void wrongTypesNameTheFieldAndTheExpectedTypeButNeverTheValue() {
        assertFails(
                "{\"i\":\"secret\"}",
                "field 'i': expected int, found a string that is not a number");
        assertFails("{\"i\":1.5}", "field 'i': expected int, found a fraction");
        assertFails("{\"i\":3000000000}", "field 'i': the number is out of range for int");
        assertFails("{\"i\":[1]}", "field 'i': expected int, found an array");
        assertFails("{\"i\":1,\"b\":\"secret\"}", "field 'b': expected boolean, found a string");
        assertFails(
                "{\"i\":1,\"tsMillis\":\"secret\"}",
                "field 'tsMillis': expected timestamp-millis (long) as an ISO-8601 timestamp or"
                        + " epoch milliseconds, found a string");
        assertFails(
                "{\"i\":1,\"day\":\"2026-13-45\"}",
                "field 'day': expected date (int) as an ISO-8601 date or days since 1970-01-01,"
                        + " found a string");
        assertFails(
                "{\"i\":1,\"amount\":1.234}",
                "field 'amount': more than 2 decimal places for decimal (bytes)");
        assertFails(
                "{\"i\":1,\"amount\":123456}",
                "field 'amount': more than 6 digits for decimal (bytes)");
        assertFails(
                "{\"i\":1,\"color\":\"secret\"}",
                "field 'color': expected one of the symbols [RED, GREEN] of enum Color");
        assertFails(
                "{\"i\":1,\"address\":{\"zip\":1}}",
                "field 'address.city' is missing but the schema requires string and gives no default");
        assertFails(
                "{\"i\":1,\"nums\":[1,\"secret\"]}",
                "field 'nums[1]': expected int, found a string");
        assertFails(
                "{\"i\":1,\"tags\":\"secret\"}", "field 'tags': expected array, found a string");
        assertFails(
                "{\"i\":1,\"counts\":{\"secret\":\"x\"}}",
                "field 'counts[…]': expected long, found a string");
    }

    @Test
    void aMissingOrNullRequiredFieldWithoutDefaultIsNamed() {
        assertFails("{}", "field 'i' is missing but the schema requires int and gives no default");
        assertFails("{\"i\":null}", "field 'i' is null but the schema requires int");
        // A default stands in for a missing value, not for an explicit null.
        assertFails(
                "{\"i\":1,\"withDefault\":null}",
                "field 'withDefault' is null but the schema requires string");
    }

    @Test
    void whatIsNotOneJsonObjectFailsWithoutEchoingThePayload() {
        assertFails("[\"secret\"]", "expected a JSON object, found an array");
        assertFails("secret", "invalid JSON at column");
        assertFails("{\"i\":1} {\"secret\":1}", "invalid JSON at column");
        assertFails("", "expected a JSON object, found nothing");
    }

    private GenericRecord decode(String json) throws Exception {
        byte[] datum = encoder.encode(json.getBytes(StandardCharsets.UTF_8));
        Schema schema = new Schema.Parser().parse(SCHEMA);
        try {
            return new GenericDatumReader<GenericRecord>(schema, schema, GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(datum, null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertFails(String payload, String message) {
        EncoderAssertions.assertFailsWithoutEcho(encoder, payload, message);
    }
}
