package dev.sluice.sinks.s3.format;

import dev.sluice.operators.time.EventTimeExtractor;

import com.fasterxml.jackson.core.JsonToken;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes one JSON value fit its warehouse column before it is staged, or says why it cannot, so that
 * a value the table would refuse becomes a {@code format-conversion-failed} error line naming the
 * column instead of a rejected row at load time.
 *
 * <ul>
 *   <li><b>Timestamps and dates</b>: an epoch number (or a string of digits) becomes a timestamp in
 *       UTC, seconds or milliseconds told apart by the rule of {@code EventTime} {@code AUTO}
 *       ({@link EventTimeExtractor#autoEpochMillis}); written {@code yyyy-MM-dd HH:mm:ss[.SSS]},
 *       with {@code +00} for {@code timestamptz}, and {@code yyyy-MM-dd} for {@code date}, the
 *       default input formats of both PostgreSQL and Redshift. A string shaped like an ISO-8601
 *       date or timestamp whose fields are impossible (month 13, hour 25) is refused; strings of
 *       other shapes are left for the warehouse to parse.
 *   <li><b>Integers</b> ({@code smallint}, {@code integer}, {@code bigint}): a whole number in the
 *       type's range, as a number or a numeric string; anything else is refused.
 *   <li><b>{@code numeric(p,s)}</b>: a number whose integer digits fit {@code p - s}, after the
 *       rounding to {@code s} places that the warehouse does itself. <b>{@code real}</b> and
 *       <b>{@code double precision}</b>: a number within the type's range, or NaN/Infinity.
 *   <li><b>Text</b>: no NUL character (neither warehouse stores one); at most {@code n} characters
 *       (PostgreSQL) or UTF-8 bytes (Redshift) for {@code varchar(n)}/{@code char(n)}, or cut to
 *       fit when {@code TRUNCATECOLUMNS} is set, as Redshift's option of that name does.
 *   <li><b>{@code boolean}</b>: {@code true}/{@code false}, {@code 0}/{@code 1}, or the words both
 *       warehouses read as booleans.
 *   <li>A JSON object or array is refused in any of the columns above except text, where it is
 *       loaded as its JSON text.
 * </ul>
 *
 * <p>Messages name the column and its type and never repeat the value, which may be personal data.
 */
public final class ColumnValues {

    private static final BigDecimal SMALLINT_MIN = BigDecimal.valueOf(Short.MIN_VALUE);
    private static final BigDecimal SMALLINT_MAX = BigDecimal.valueOf(Short.MAX_VALUE);
    private static final BigDecimal INTEGER_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INTEGER_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal BIGINT_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal BIGINT_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    /** Beyond any numeric precision either warehouse has; checked before rounding. */
    private static final int MAX_INTEGER_DIGITS = 1000;

    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,18}(\\.\\d+)?");

    /** ISO-8601 date, optionally with a time and an offset; the shape checked field by field. */
    private static final Pattern ISO_DATE_TIME =
            Pattern.compile(
                    "(\\d{4})-(\\d{2})-(\\d{2})"
                            + "(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d{1,9})?)?)?"
                            + "\\s*(?:Z|[+-]\\d{2}(?::?\\d{2})?)?");

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    private static final Set<String> BOOLEAN_WORDS =
            Set.of("t", "true", "y", "yes", "on", "1", "f", "false", "n", "no", "off", "0");

    private static final Set<String> FLOAT_WORDS =
            Set.of("nan", "infinity", "+infinity", "-infinity");

    private final ColumnTypes types;
    private final Map<String, ColumnType> byKey;

    ColumnValues(ColumnTypes types, Map<String, ColumnType> byKey) {
        this.types = types;
        this.byKey = byKey;
    }

    public ColumnTypes types() {
        return types;
    }

    /** The column a top-level JSON key loads into, as {@code JSON 'auto'} maps it; null if none. */
    @Nullable
    public ColumnType forKey(String key) {
        return byKey.get(types.ignoreCase() ? key.toLowerCase(Locale.ROOT) : key);
    }

    /**
     * The value as the column will take it.
     *
     * @param token the JSON value's kind ({@code VALUE_STRING}, {@code VALUE_NUMBER_INT}, {@code
     *     START_OBJECT}, …)
     * @param text the value's text: a string's value, a number's or nested value's JSON text; null
     *     for JSON null
     * @return {@code text} itself when it already fits, or the converted text
     * @throws FormatConversionException naming the column when the value cannot fit
     */
    @Nullable
    public String convert(ColumnType column, JsonToken token, @Nullable String text)
            throws FormatConversionException {
        if (text == null || token == JsonToken.VALUE_NULL) {
            return text;
        }
        boolean nested = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        switch (column.kind()) {
            case TEXT:
                return text(column, text);
            case OTHER:
                return text;
            default:
                break;
        }
        if (nested) {
            throw refused(
                    column,
                    "a JSON " + (token == JsonToken.START_OBJECT ? "object" : "array") + " is not");
        }
        switch (column.kind()) {
            case SMALLINT:
                return whole(column, token, text, SMALLINT_MIN, SMALLINT_MAX);
            case INTEGER:
                return whole(column, token, text, INTEGER_MIN, INTEGER_MAX);
            case BIGINT:
                return whole(column, token, text, BIGINT_MIN, BIGINT_MAX);
            case NUMERIC:
                return numeric(column, token, text);
            case REAL:
            case DOUBLE:
                return floating(column, token, text);
            case BOOLEAN:
                return bool(column, token, text);
            case DATE:
            case TIMESTAMP:
            case TIMESTAMPTZ:
                return dateTime(column, token, text);
            default:
                return text;
        }
    }

    private String text(ColumnType column, String text) throws FormatConversionException {
        if (text.indexOf('\u0000') >= 0) {
            throw refused(column, "text with a NUL character is not");
        }
        int max = column.maxLength();
        if (max <= 0) {
            return text;
        }
        if (column.lengthInBytes()) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= max) {
                return text;
            }
            if (!types.truncateColumns()) {
                throw refused(column, "a value of " + utf8.length + " UTF-8 bytes is not");
            }
            return cutToBytes(text, max);
        }
        int chars = text.codePointCount(0, text.length());
        if (chars <= max) {
            return text;
        }
        if (!types.truncateColumns()) {
            throw refused(column, "a value of " + chars + " characters is not");
        }
        return text.substring(0, text.offsetByCodePoints(0, max));
    }

    /** The longest prefix of whole characters within {@code maxBytes} UTF-8 bytes. */
    private static String cutToBytes(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end);
    }

    private static String whole(
            ColumnType column, JsonToken token, String text, BigDecimal min, BigDecimal max)
            throws FormatConversionException {
        BigDecimal number = number(column, token, text);
        if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
            throw refused(column, "a number with a fraction is not");
        }
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw refused(column, "a number out of its range is not");
        }
        return text;
    }

    private static String numeric(ColumnType column, JsonToken token, String text)
            throws FormatConversionException {
        BigDecimal number = number(column, token, text);
        if (column.precision() <= 0) {
            return text;
        }
        int allowed = column.precision() - column.scale();
        if (integerDigits(number) > MAX_INTEGER_DIGITS) {
            throw refused(column, "a number out of its range is not");
        }
        BigDecimal rounded = number.setScale(column.scale(), RoundingMode.HALF_UP);
        if (rounded.signum() != 0 && integerDigits(rounded) > allowed) {
            throw refused(column, "a number out of its range is not");
        }
        return text;
    }

    private static int integerDigits(BigDecimal number) {
        return number.precision() - number.scale();
    }

    private static String floating(ColumnType column, JsonToken token, String text)
            throws FormatConversionException {
        if (token == JsonToken.VALUE_STRING
                && FLOAT_WORDS.contains(text.trim().toLowerCase(Locale.ROOT))) {
            return text;
        }
        BigDecimal number = number(column, token, text);
        if (integerDigits(number) > MAX_INTEGER_DIGITS) {
            throw refused(column, "a number out of its range is not");
        }
        double value = number.doubleValue();
        double limit = column.kind() == ColumnType.Kind.REAL ? Float.MAX_VALUE : Double.MAX_VALUE;
        if (Double.isInfinite(value) || Math.abs(value) > limit) {
            throw refused(column, "a number out of its range is not");
        }
        return text;
    }

    private static BigDecimal number(ColumnType column, JsonToken token, String text)
            throws FormatConversionException {
        if (token != JsonToken.VALUE_NUMBER_INT
                && token != JsonToken.VALUE_NUMBER_FLOAT
                && token != JsonToken.VALUE_STRING) {
            throw refused(column, "a JSON " + describe(token) + " is not");
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw refused(column, "text that is not a number is not");
        }
    }

    private static String bool(ColumnType column, JsonToken token, String text)
            throws FormatConversionException {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return text;
        }
        if (BOOLEAN_WORDS.contains(text.trim().toLowerCase(Locale.ROOT))) {
            return text;
        }
        throw refused(column, "a value that is not a boolean is not");
    }

    private String dateTime(ColumnType column, JsonToken token, String text)
            throws FormatConversionException {
        if (token == JsonToken.VALUE_STRING && isCommonPossibleIso(text)) {
            // The shape nearly every producer writes, read without a regex (a tenth of the
            // pipeline's CPU per record went to matching it): staged as it is.
            return text;
        }
        boolean numeric =
                token == JsonToken.VALUE_NUMBER_INT
                        || token == JsonToken.VALUE_NUMBER_FLOAT
                        || (token == JsonToken.VALUE_STRING && EPOCH.matcher(text).matches());
        if (numeric) {
            if (!types.epochsAsTimestamps()) {
                return text;
            }
            return fromEpoch(column, text);
        }
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            throw refused(column, "a boolean is not");
        }
        if (isImpossibleIso(text)) {
            throw refused(column, "an impossible date or time is not");
        }
        return text;
    }

    /**
     * Whether {@code text} is one of the common ISO-8601 shapes {@link
     * EventTimeExtractor#commonIso} reads, naming a real moment: a subset of what {@link
     * #isImpossibleIso} lets through ({@code ColumnValuesIsoTest} checks that).
     */
    static boolean isCommonPossibleIso(String text) {
        return EventTimeExtractor.commonIso(text) != EventTimeExtractor.NONE
                && !text.startsWith("0000");
    }

    /** Whether {@code text} has an ISO-8601 date(-time) shape whose fields name no real moment. */
    static boolean isImpossibleIso(String text) {
        Matcher iso = ISO_DATE_TIME.matcher(text.trim());
        return iso.matches() && !possible(iso);
    }

    private static String fromEpoch(ColumnType column, String text)
            throws FormatConversionException {
        BigDecimal number;
        try {
            number = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw refused(column, "text that is not a time is not");
        }
        if (integerDigits(number) > 18) {
            throw refused(column, "an epoch number out of range is not");
        }
        long millis = EventTimeExtractor.autoEpochMillis(number);
        LocalDateTime utc;
        try {
            utc = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw refused(column, "an epoch number out of range is not");
        }
        if (utc.getYear() < 1 || utc.getYear() > 9999) {
            throw refused(column, "an epoch number out of range is not");
        }
        switch (column.kind()) {
            case DATE:
                return DATE.format(utc);
            case TIMESTAMPTZ:
                return (utc.getNano() == 0 ? TIMESTAMP : MILLIS).format(utc) + "+00";
            default:
                return (utc.getNano() == 0 ? TIMESTAMP : MILLIS).format(utc);
        }
    }

    /** Whether the fields of an ISO-shaped date-time name a real moment (24:00:00 allowed). */
    private static boolean possible(Matcher iso) {
        int year = Integer.parseInt(iso.group(1));
        int month = Integer.parseInt(iso.group(2));
        int day = Integer.parseInt(iso.group(3));
        if (year < 1 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        if (iso.group(4) == null) {
            return true;
        }
        int hour = Integer.parseInt(iso.group(4));
        int minute = Integer.parseInt(iso.group(5));
        int second = iso.group(6) == null ? 0 : Integer.parseInt(iso.group(6));
        if (hour == 24) {
            return minute == 0 && second == 0;
        }
        return hour <= 23 && minute <= 59 && second <= 60;
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "boolean";
            case START_OBJECT:
                return "object";
            case START_ARRAY:
                return "array";
            default:
                return token.name().toLowerCase(Locale.ROOT);
        }
    }

    private static FormatConversionException refused(ColumnType column, String what) {
        return new FormatConversionException(
                what + " a valid " + column.describe() + " for column '" + column.name() + "'");
    }
}
