package dev.sluice.sinks.s3.format;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timestamp columns take the common ISO-8601 shapes through a fast path that skips the regex: it
 * may only accept what the regex check accepts, or type-aware staging would let through a value the
 * warehouse rejects.
 */
class ColumnValuesIsoTest {

    @Test
    void theFastPathAcceptsOnlyWhatTheRegexCheckAccepts() {
        Random random = new Random(20261202L);
        String[] endings = {"", "Z", "+02:00", "-05:30", "+18:00", "+0200", " UTC", "z"};
        int fast = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder text =
                    new StringBuilder(
                            String.format(
                                    "%04d-%02d-%02d%c%02d:%02d:%02d",
                                    random.nextInt(3) == 0 ? random.nextInt(3) : 2024,
                                    random.nextInt(14),
                                    random.nextInt(33),
                                    random.nextBoolean() ? 'T' : ' ',
                                    random.nextInt(26),
                                    random.nextInt(62),
                                    random.nextInt(62)));
            if (random.nextBoolean()) {
                text.append('.').append("123456789", 0, 1 + random.nextInt(9));
            }
            text.append(endings[random.nextInt(endings.length)]);
            if (random.nextInt(10) == 0) {
                text.setCharAt(random.nextInt(text.length()), (char) ('+' + random.nextInt(80)));
            }
            String shown = text.toString();
            if (ColumnValues.isCommonPossibleIso(shown)) {
                fast++;
                assertThat(ColumnValues.isImpossibleIso(shown)).as(shown).isFalse();
            }
        }
        assertThat(fast).as("strings the fast path accepted").isGreaterThan(10_000);
        assertThat(ColumnValues.isCommonPossibleIso("0000-01-01T00:00:00Z")).isFalse();
        assertThat(ColumnValues.isImpossibleIso("0000-01-01T00:00:00Z")).isTrue();
        assertThat(ColumnValues.isCommonPossibleIso("2024-02-29 23:59:59.5")).isTrue();
        assertThat(ColumnValues.isCommonPossibleIso("2023-02-29 23:59:59")).isFalse();
    }
}
