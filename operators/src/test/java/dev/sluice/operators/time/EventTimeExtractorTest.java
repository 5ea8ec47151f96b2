package dev.sluice.operators.time;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeExtractorTest {

    private static final long T = 1_714_564_800_000L; // 2024-05-01T12:00:00Z

    private final EventTimeExtractor auto = new EventTimeExtractor("ts", EventTimeFormat.AUTO);

    @Test
    void isoInstantsAndOffsetsAreRead() {
        assertThat(auto.extract(json("{\"ts\":\"2024-05-01T12:00:00Z\"}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":\"2024-05-01T14:00:00.000+02:00\"}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":\"2024-05-01 12:00:00\"}"))).isEqualTo(T);
    }

    @Test
    void autoTellsSecondsFromMillisByMagnitude() {
        assertThat(auto.extract(json("{\"ts\":" + T + "}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":" + T / 1000 + "}"))).isEqualTo(T);
        assertThat(auto.extract(json("{\"ts\":1714564800.5}"))).isEqualTo(T + 500);
        assertThat(auto.extract(json("{\"ts\":\"" + T + "\"}"))).isEqualTo(T);
    }

    @Test
    void anExplicitFormatIsObeyed() {
        assertThat(
                        new EventTimeExtractor("ts", EventTimeFormat.EPOCH_SECONDS)
                                .extract(json("{\"ts\":10}")))
                .isEqualTo(10_000L);
        assertThat(
                        new EventTimeExtractor("ts", EventTimeFormat.EPOCH_MILLIS)
                                .extract(json("{\"ts\":10}")))
                .isEqualTo(10L);
        assertThat(
                        new EventTimeExtractor("ts", EventTimeFormat.ISO_8601)
                                .extract(json("{\"ts\":10}")))
                .isEqualTo(EventTimeExtractor.NONE);
    }

    @Test
    void missingUnparsableOrNonJsonGivesNone() {
        assertThat(auto.extract(json("{\"other\":1,\"nested\":{\"ts\":5}}")))
                .isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(json("{\"ts\":\"yesterday\"}"))).isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(json("{\"ts\":null}"))).isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(json("not json"))).isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(new byte[] {(byte) 0xff, (byte) 0xfe}))
                .isEqualTo(EventTimeExtractor.NONE);
        assertThat(auto.extract(new byte[0])).isEqualTo(EventTimeExtractor.NONE);
    }

    @Test
    void theFieldIsFoundAfterNestedValues() {
        assertThat(
                        auto.extract(
                                json(
                                        "{\"a\":{\"ts\":1,\"b\":[1,{}]},\"ts\":\"2024-05-01T12:00:00Z\"}")))
                .isEqualTo(T);
    }

    /**
     * The hand-written reader of the common ISO shapes must never disagree with {@code java.time}:
     * wherever it gives a time, the full parse gives the same one. Strings are built from valid
     * timestamps with one field or character changed at random, so both verdicts are frequent.
     */
    @Test
    void theFastPathReadsCommonShapesExactlyAsJavaTimeDoes() {
        Random random = new Random(20261201L);
        String[] endings = {"", "Z", "z", "+02:00", "-05:30", "+18:00", "-00:00", "+0200", "UTC"};
        int fast = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder text =
                    new StringBuilder(
                            String.format(
                                    "%04d-%02d-%02d%c%02d:%02d:%02d",
                                    random.nextInt(2) == 0 ? 1970 + random.nextInt(80) : 2024,
                                    1 + random.nextInt(13),
                                    1 + random.nextInt(31),
                                    random.nextInt(4) == 0 ? ' ' : 'T',
                                    random.nextInt(25),
                                    random.nextInt(61),
                                    random.nextInt(61)));
            if (random.nextBoolean()) {
                text.append('.')
                        .append(
                                String.valueOf(random.nextLong() & Long.MAX_VALUE),
                                0,
                                1 + random.nextInt(11));
            }
            text.append(endings[random.nextInt(endings.length)]);
            if (random.nextInt(10) == 0) {
                text.setCharAt(random.nextInt(text.length()), (char) ('+' + random.nextInt(80)));
            }
            String shown = text.toString();
            long common = EventTimeExtractor.commonIso(shown);
            if (common != EventTimeExtractor.NONE) {
                fast++;
                assertThat(common).as(shown).isEqualTo(EventTimeExtractor.isoText(shown));
            }
        }
        assertThat(fast).as("strings the fast path read").isGreaterThan(20_000);
        assertThat(EventTimeExtractor.commonIso("2024-05-01T12:00:00.123456Z")).isEqualTo(T + 123);
        assertThat(EventTimeExtractor.commonIso("1969-12-31T23:59:59.999Z")).isEqualTo(-1L);
    }

    /** The hand-counted epoch day agrees with {@code LocalDate} on every day of years 0–9999. */
    @Test
    void everyDayOfFourDigitYearsIsCountedAsLocalDateCountsIt() {
        for (LocalDate date = LocalDate.of(0, 1, 1);
                date.getYear() <= 9999;
                date = date.plusDays(1)) {
            long expected = date.toEpochDay() * 86_400_000L;
            char[] text = "0000-00-00T00:00:00Z".toCharArray();
            put(text, 0, 4, date.getYear());
            put(text, 5, 2, date.getMonthValue());
            put(text, 8, 2, date.getDayOfMonth());
            long read = EventTimeExtractor.commonIso(new String(text));
            if (read != expected) {
                assertThat(read).as(new String(text)).isEqualTo(expected);
            }
        }
        for (String impossible :
                new String[] {
                    "1900-02-29", "2100-02-29", "2023-02-29", "2024-04-31", "2024-02-30"
                }) {
            assertThat(EventTimeExtractor.commonIso(impossible + "T00:00:00Z"))
                    .as(impossible)
                    .isEqualTo(EventTimeExtractor.NONE);
        }
        assertThat(EventTimeExtractor.commonIso("2000-02-29T00:00:00Z"))
                .isEqualTo(LocalDate.of(2000, 2, 29).toEpochDay() * 86_400_000L);
    }

    /** The hand-written check says what the regular expression it replaced said, on any text. */
    @Test
    void epochTextIsRecognisedExactlyAsTheRegularExpressionDoes() {
        Pattern epoch = Pattern.compile("-?\\d+(\\.\\d+)?");
        String alphabet = "-0123456789.. a+e";
        Random random = new Random(20261202L);
        for (int round = 0; round < 100_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(6); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String shown = text.toString();
            assertThat(EventTimeExtractor.isEpochText(shown))
                    .as("'%s'", shown)
                    .isEqualTo(epoch.matcher(shown).matches());
        }
        assertThat(EventTimeExtractor.isEpochText("-12.5")).isTrue();
        assertThat(EventTimeExtractor.isEpochText("12.")).isFalse();
        assertThat(EventTimeExtractor.isEpochText("-")).isFalse();
    }

    /** Writes {@code value} as {@code width} digits at {@code from}. */
    private static void put(char[] text, int from, int width, int value) {
        for (int i = from + width - 1; i >= from; i--, value /= 10) {
            text[i] = (char) ('0' + value % 10);
        }
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
