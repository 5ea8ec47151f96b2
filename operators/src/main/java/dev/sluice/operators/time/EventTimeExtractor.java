package dev.sluice.operators.time;

import dev.sluice.operators.record.JsonPayloads;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Reads a record's event time from one top-level field of its JSON payload.
 *
 * <p>It runs in the source (before the watermark assigner sees the record), so it streams over the
 * payload with Jackson's parser and stops at the field, rather than building a tree. A payload that
 * is not JSON, lacks the field, or holds a value that is not a time yields {@link #NONE}: the
 * caller falls back to the arrival time, and the record's fate is decided by the transform stage,
 * never here.
 */
public final class EventTimeExtractor implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No usable event time in the payload. */
    public static final long NONE = Long.MIN_VALUE;

    /** Numbers below this are epoch seconds in {@link EventTimeFormat#AUTO}. */
    static final long SECONDS_BELOW = 100_000_000_000L;

    private final String field;
    private final EventTimeFormat format;

    public EventTimeExtractor(String field, EventTimeFormat format) {
        checkArgument(field != null && !field.isBlank(), "event-time field must not be blank");
        this.field = field;
        this.format = checkNotNull(format, "format");
    }

    public String field() {
        return field;
    }

    public EventTimeFormat format() {
        return format;
    }

    /**
     * @return ms since the epoch, or {@link #NONE}
     */
    public long extract(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return NONE;
        }
        try (JsonParser parser = JsonPayloads.JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name)) {
                    return parseValue(parser, value);
                }
                parser.skipChildren();
            }
            return NONE;
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    private long parseValue(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return fromNumber(parser.getDecimalValue());
        }
        if (value == JsonToken.VALUE_STRING) {
            return fromText(parser.getText().trim());
        }
        return NONE;
    }

    long fromText(String text) {
        if (text.isEmpty()) {
            return NONE;
        }
        if (format != EventTimeFormat.ISO_8601 && isEpochText(text)) {
            return fromNumber(new BigDecimal(text));
        }
        if (format == EventTimeFormat.EPOCH_MILLIS || format == EventTimeFormat.EPOCH_SECONDS) {
            return NONE;
        }
        long common = commonIso(text);
        return common != NONE ? common : isoText(text);
    }

    /**
     * Whether {@code text} is an epoch number: {@code -?digits(.digits)?}. Checked by hand, not by
     * a regular expression: this runs for every record with a string timestamp, and a matcher per
     * record was 2 % of the pipeline's CPU in a profile.
     */
    static boolean isEpochText(String text) {
        int n = text.length();
        int i = n > 0 && text.charAt(0) == '-' ? 1 : 0;
        int integerFrom = i;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
        }
        if (i == integerFrom) {
            return false;
        }
        if (i == n) {
            return true;
        }
        if (text.charAt(i) != '.') {
            return false;
        }
        int fractionFrom = ++i;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
        }
        return i == n && i > fractionFrom;
    }

    /**
     * The shapes producers nearly always write, {@code 2026-11-21T10:30:00.123Z}, with {@code T} or
     * a space, 0–9 fraction digits, {@code Z}, {@code ±HH:MM} or no offset (UTC), read by hand: the
     * {@code java.time} parsers cost more than the rest of the extraction together. Anything else,
     * and any field out of its simple range, gives {@link #NONE} and is left to {@link #isoText},
     * which decides the same strings the same way ({@code EventTimeExtractorTest} checks that).
     * Public so that type-aware staging recognises the same shapes without a regex.
     */
    public static long commonIso(String text) {
        int n = text.length();
        if (n < 19
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return NONE;
        }
        char separator = text.charAt(10);
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((separator != 'T' && separator != ' ')
                || year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NONE;
        }
        int i = 19;
        long millis = 0;
        if (i < n && text.charAt(i) == '.') {
            int from = ++i;
            while (i < n && i - from < 9 && isDigit(text.charAt(i))) {
                millis = i - from < 3 ? millis * 10 + (text.charAt(i) - '0') : millis;
                i++;
            }
            if (i == from) {
                return NONE;
            }
            for (int read = i - from; read < 3; read++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n) {
            offsetSeconds = 0;
        } else if (separator == 'T' && i == n - 1 && text.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (separator == 'T'
                && i == n - 6
                && (text.charAt(i) == '+' || text.charAt(i) == '-')
                && text.charAt(i + 3) == ':') {
            int offsetHours = digits(text, i + 1, i + 3);
            int offsetMinutes = digits(text, i + 4, i + 6);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return NONE;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60);
            if (text.charAt(i) == '-') {
                offsetSeconds = -offsetSeconds;
            }
        } else {
            return NONE;
        }
        if (day > daysInMonth(year, month)) {
            return NONE; // 31 April, 29 February of a common year
        }
        long epochDay = epochDay(year, month, day);
        long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000L + millis;
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /**
     * Days since 1970-01-01 of a valid date in years 0–9999, counted by hand: {@code
     * LocalDate.of(…).toEpochDay()} was a third of this method's time. Years are counted from
     * March, so that the leap day ends a year ({@code EventTimeExtractorTest} checks every day
     * against {@code LocalDate}).
     */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    /** The non-negative number in {@code text[from, to)}, or -1 if any of it is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Every ISO-8601 shape {@code java.time} reads, with or without an offset (then UTC). */
    static long isoText(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // not with an offset; try the other ISO shapes
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            // not an instant either
        }
        try {
            return LocalDateTime.parse(text.replace(' ', 'T'))
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return NONE;
        }
    }

    private long fromNumber(BigDecimal number) {
        switch (format) {
            case ISO_8601:
                return NONE;
            case EPOCH_MILLIS:
                return number.longValue();
            case EPOCH_SECONDS:
                return seconds(number);
            case AUTO:
            default:
                return autoEpochMillis(number);
        }
    }

    /**
     * An epoch number as {@link EventTimeFormat#AUTO} reads it: seconds below {@value
     * #SECONDS_BELOW} (in absolute value), milliseconds from there on. Public so that staging turns
     * epoch numbers into timestamp columns by the same rule.
     */
    public static long autoEpochMillis(BigDecimal number) {
        return number.abs().compareTo(BigDecimal.valueOf(SECONDS_BELOW)) < 0
                ? seconds(number)
                : number.longValue();
    }

    private static long seconds(BigDecimal seconds) {
        return seconds.movePointRight(3).longValue();
    }

    @Override
    public String toString() {
        return "EventTimeExtractor{field=" + field + ", format=" + format + '}';
    }
}
