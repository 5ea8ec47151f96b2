package dev.sluice.sinks.s3.format;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a JSON value becomes an Avro value of a given schema: the rules of Sluice's record format
 * conversion, kept apart from the encoding so that they can be read (and tested) in one place.
 *
 * <ul>
 *   <li>Record fields are looked up by name ignoring case, as CSV columns are ({@link JsonCsvRow});
 *       a key seen twice: the later value wins. Keys without a field are ignored.
 *   <li>A missing or {@code null} value is null if the field is nullable ({@code ["null", T]}); a
 *       missing value takes the field's default if it has one; anything else is an error naming the
 *       field.
 *   <li>Numbers must fit the type exactly (no rounding {@code 1.5} into an {@code int}); numbers
 *       written as strings ({@code "42"}) are accepted, as are {@code "true"}/{@code "false"} for
 *       booleans. A {@code string} field takes any scalar as its text and nested values as their
 *       JSON text.
 *   <li>{@code timestamp-millis}/{@code timestamp-micros}: an ISO-8601 timestamp ({@code
 *       2026-11-22T08:00:00Z}, an offset, or none for UTC) or an epoch number in the type's unit.
 *       {@code date}: an ISO-8601 date ({@code 2026-11-22}) or a number of days since the epoch.
 *       {@code decimal}: a number or numeric string with at most the type's scale and precision.
 *   <li>Records, arrays and maps nest; {@code bytes} and {@code fixed} take a string's UTF-8 bytes;
 *       an {@code enum} takes one of its symbols.
 * </ul>
 *
 * <p>Errors name the field by its path ({@code user.tags[2]}) and the expected type, never the
 * value: records may hold personal data.
 */
final class JsonToAvro {

    private static final Conversions.DecimalConversion DECIMALS =
            new Conversions.DecimalConversion();

    private final Schema schema;

    JsonToAvro(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "a Parquet schema must be an Avro record, not " + schema.getType());
        }
        this.schema = schema;
    }

    /** Converts a JSON object to a record of the schema. */
    GenericRecord record(JsonNode object) throws FormatConversionException {
        return record(object, schema, "");
    }

    private GenericRecord record(JsonNode object, Schema recordSchema, String path)
            throws FormatConversionException {
        Map<String, JsonNode> byName = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            byName.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue());
        }
        GenericData.Record record = new GenericData.Record(recordSchema);
        for (Schema.Field field : recordSchema.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            JsonNode value = byName.get(field.name().toLowerCase(Locale.ROOT));
            if (value == null && field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else if (value == null || value.isNull()) {
                if (!isNullable(field.schema())) {
                    throw new FormatConversionException(
                            "field '"
                                    + fieldPath
                                    + (value == null ? "' is missing" : "' is null")
                                    + " but the schema requires "
                                    + typeName(field.schema())
                                    + (value == null ? " and gives no default" : ""));
                }
                record.put(field.pos(), null);
            } else {
                record.put(field.pos(), value(value, field.schema(), fieldPath));
            }
        }
        return record;
    }

    private Object value(JsonNode json, Schema type, String path) throws FormatConversionException {
        LogicalType logical = type.getLogicalType();
        switch (type.getType()) {
            case UNION:
                return union(json, type, path);
            case NULL:
                if (json.isNull()) {
                    return null;
                }
                throw mismatch(path, type, json);
            case BOOLEAN:
                if (json.isBoolean()) {
                    return json.booleanValue();
                }
                if (json.isTextual() && isBooleanWord(json.textValue())) {
                    return Boolean.parseBoolean(json.textValue().toLowerCase(Locale.ROOT));
                }
                throw mismatch(path, type, json);
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return date(json, type, path);
                }
                return integral(json, type, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return timestamp(json, type, path, ChronoUnit.MILLIS);
                }
                if (logical instanceof LogicalTypes.TimestampMicros) {
                    return timestamp(json, type, path, ChronoUnit.MICROS);
                }
                return integral(json, type, path, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
            case FLOAT:
                return number(json, type, path).floatValue();
            case DOUBLE:
                return number(json, type, path).doubleValue();
            case STRING:
                if (json.isValueNode()) {
                    return json.asText();
                }
                return json.toString();
            case BYTES:
                if (logical instanceof LogicalTypes.Decimal) {
                    return DECIMALS.toBytes(
                            decimal(json, type, path, (LogicalTypes.Decimal) logical),
                            type,
                            logical);
                }
                return ByteBuffer.wrap(text(json, type, path).getBytes(StandardCharsets.UTF_8));
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal) {
                    return DECIMALS.toFixed(
                            decimal(json, type, path, (LogicalTypes.Decimal) logical),
                            type,
                            logical);
                }
                byte[] bytes = text(json, type, path).getBytes(StandardCharsets.UTF_8);
                if (bytes.length != type.getFixedSize()) {
                    throw fieldError(
                            path,
                            "expected "
                                    + type.getFixedSize()
                                    + " bytes for "
                                    + typeName(type)
                                    + ", found "
                                    + bytes.length);
                }
                return new GenericData.Fixed(type, bytes);
            case ENUM:
                String symbol = text(json, type, path);
                if (!type.hasEnumSymbol(symbol)) {
                    throw fieldError(
                            path,
                            "expected one of the symbols "
                                    + type.getEnumSymbols()
                                    + " of "
                                    + typeName(type));
                }
                return new GenericData.EnumSymbol(type, symbol);
            case RECORD:
                if (!json.isObject()) {
                    throw mismatch(path, type, json);
                }
                return record(json, type, path);
            case ARRAY:
                if (!json.isArray()) {
                    throw mismatch(path, type, json);
                }
                List<Object> items = new ArrayList<>(json.size());
                for (int i = 0; i < json.size(); i++) {
                    items.add(
                            nullableValue(
                                    json.get(i), type.getElementType(), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(type, items);
            case MAP:
                if (!json.isObject()) {
                    throw mismatch(path, type, json);
                }
                Map<String, Object> map = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    map.put(
                            entry.getKey(),
                            nullableValue(
                                    entry.getValue(),
                                    type.getValueType(),
                                    // The key is record content: not in the path.
                                    path + "[…]"));
                }
                return map;
            default:
                throw fieldError(path, typeName(type) + " is not supported");
        }
    }

    /** An array element or map value: JSON null is allowed only where the schema is nullable. */
    private Object nullableValue(JsonNode json, Schema type, String path)
            throws FormatConversionException {
        if (json.isNull()) {
            if (isNullable(type)) {
                return null;
            }
            throw mismatch(path, type, json);
        }
        return value(json, type, path);
    }

    /** The first branch, in schema order, that takes the value. */
    private Object union(JsonNode json, Schema union, String path)
            throws FormatConversionException {
        if (json.isNull()) {
            return nullableValue(json, union, path);
        }
        FormatConversionException first = null;
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return value(json, branch, path);
            } catch (FormatConversionException e) {
                first = first == null ? e : first;
            }
        }
        if (nonNullBranches(union) == 1 && first != null) {
            throw first;
        }
        throw mismatch(path, union, json);
    }

    private static BigInteger integral(JsonNode json, Schema type, String path, long min, long max)
            throws FormatConversionException {
        BigDecimal number = number(json, type, path);
        BigInteger whole;
        try {
            whole = number.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw fieldError(path, "expected " + typeName(type) + ", found a fraction");
        }
        if (whole.compareTo(BigInteger.valueOf(min)) < 0
                || whole.compareTo(BigInteger.valueOf(max)) > 0) {
            throw fieldError(path, "the number is out of range for " + typeName(type));
        }
        return whole;
    }

    /** A JSON number, or a string holding one. */
    private static BigDecimal number(JsonNode json, Schema type, String path)
            throws FormatConversionException {
        if (json.isNumber()) {
            return json.decimalValue();
        }
        if (json.isTextual()) {
            try {
                return new BigDecimal(json.textValue().trim());
            } catch (NumberFormatException e) {
                throw fieldError(
                        path,
                        "expected " + typeName(type) + ", found a string that is not a number");
            }
        }
        throw mismatch(path, type, json);
    }

    private static BigDecimal decimal(
            JsonNode json, Schema type, String path, LogicalTypes.Decimal decimal)
            throws FormatConversionException {
        BigDecimal number = number(json, type, path);
        BigDecimal scaled;
        try {
            scaled = number.setScale(decimal.getScale());
        } catch (ArithmeticException e) {
            throw fieldError(
                    path,
                    "more than " + decimal.getScale() + " decimal places for " + typeName(type));
        }
        if (scaled.precision() > decimal.getPrecision()) {
            throw fieldError(
                    path, "more than " + decimal.getPrecision() + " digits for " + typeName(type));
        }
        return scaled;
    }

    private static int date(JsonNode json, Schema type, String path)
            throws FormatConversionException {
        if (json.isNumber()) {
            return integral(json, type, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        }
        if (json.isTextual()) {
            try {
                return Math.toIntExact(LocalDate.parse(json.textValue().trim()).toEpochDay());
            } catch (DateTimeException | ArithmeticException e) {
                // fall through to the error below
            }
        }
        throw expected(path, type, " as an ISO-8601 date or days since 1970-01-01", json);
    }

    private static long timestamp(JsonNode json, Schema type, String path, ChronoUnit unit)
            throws FormatConversionException {
        if (json.isNumber()) {
            return integral(json, type, path, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
        }
        if (json.isTextual()) {
            try {
                Instant instant = instant(json.textValue().trim());
                return unit == ChronoUnit.MILLIS
                        ? instant.toEpochMilli()
                        : Math.addExact(
                                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                                instant.getNano() / 1_000L);
            } catch (DateTimeException | ArithmeticException e) {
                // fall through to the error below
            }
        }
        throw expected(
                path,
                type,
                " as an ISO-8601 timestamp or epoch "
                        + (unit == ChronoUnit.MILLIS ? "milliseconds" : "microseconds"),
                json);
    }

    /** {@code 2026-11-22T08:00:00Z}, {@code …+01:00}, or without an offset (taken as UTC). */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }

    private static String text(JsonNode json, Schema type, String path)
            throws FormatConversionException {
        if (json.isTextual()) {
            return json.textValue();
        }
        throw mismatch(path, type, json);
    }

    private static boolean isBooleanWord(String text) {
        return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
    }

    private static boolean isNullable(Schema type) {
        if (type.getType() == Schema.Type.NULL) {
            return true;
        }
        if (type.getType() != Schema.Type.UNION) {
            return false;
        }
        for (Schema branch : type.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                return true;
            }
        }
        return false;
    }

    private static int nonNullBranches(Schema union) {
        int count = 0;
        for (Schema branch : union.getTypes()) {
            count += branch.getType() == Schema.Type.NULL ? 0 : 1;
        }
        return count;
    }

    /** "field 'a.b': problem", the one shape of every value error. */
    private static FormatConversionException fieldError(String path, String problem) {
        return new FormatConversionException("field '" + path + "': " + problem);
    }

    private static FormatConversionException expected(
            String path, Schema type, String how, JsonNode json) {
        return fieldError(path, "expected " + typeName(type) + how + ", found " + describe(json));
    }

    private static FormatConversionException mismatch(String path, Schema type, JsonNode json) {
        return expected(path, type, "", json);
    }

    /**
     * e.g. {@code int}, {@code timestamp-millis (long)}, {@code record Address}, {@code
     * ["null","int"]}.
     */
    static String typeName(Schema type) {
        switch (type.getType()) {
            case UNION:
                List<String> branches = new ArrayList<>();
                for (Schema branch : type.getTypes()) {
                    branches.add(typeName(branch));
                }
                return "one of " + branches;
            case RECORD:
            case ENUM:
            case FIXED:
                return type.getType().getName() + " " + type.getName();
            default:
                LogicalType logical = type.getLogicalType();
                return logical == null
                        ? type.getType().getName()
                        : logical.getName() + " (" + type.getType().getName() + ")";
        }
    }

    /** What a JSON value is, in words, without its content. */
    static String describe(JsonNode json) {
        if (json == null || json.isMissingNode()) {
            return "nothing";
        }
        switch (json.getNodeType()) {
            case OBJECT:
                return "an object";
            case ARRAY:
                return "an array";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return json.getNodeType().name().toLowerCase(Locale.ROOT);
        }
    }
}
