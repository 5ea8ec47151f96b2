package dev.sluice.operators.source.position;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Positions compare as numbers, only move forward, and keep their binary layout. */
class SourcePositionsTest {

    private static final StreamShard SHARD = new StreamShard("s", "shardId-000000000000");

    @Test
    void sequenceNumbersCompareAsNumbersNotAsStrings() {
        assertThat(new SourcePosition("100", 0, 0).compareTo(new SourcePosition("99", 0, 0)))
                .isPositive();
        assertThat(
                        new SourcePosition(
                                        "49590338271490256608559692538361571095921575989136588802",
                                        0,
                                        0)
                                .compareTo(new SourcePosition("9", 5, 0)))
                .isPositive();
        assertThat(new SourcePosition("7", 2, 0).compareTo(new SourcePosition("7", 1, 0)))
                .isPositive();
        assertThat(new SourcePosition("7", 1, 0).covers("7", 1)).isTrue();
        assertThat(new SourcePosition("7", 1, 0).covers("7", 2)).isFalse();
        assertThat(new SourcePosition("10", 0, 0).covers("9", 3)).isTrue();
    }

    /** Compared as text for speed; the verdict must be the one {@link BigInteger} gives. */
    @Test
    void sequenceNumbersCompareAsBigIntegersDo() {
        Random random = new Random(20261201L);
        for (int round = 0; round < 50_000; round++) {
            String a = randomDigits(random);
            String b = random.nextInt(5) == 0 ? a : randomDigits(random);
            assertThat(SourcePosition.compareSequenceNumbers(a, b))
                    .as("%s vs %s", a, b)
                    .isEqualTo(new BigInteger(a).compareTo(new BigInteger(b)));
        }
        assertThat(SourcePosition.compareSequenceNumbers("007", "7")).isZero();
        assertThat(SourcePosition.compareSequenceNumbers("0", "000")).isZero();
        assertThatThrownBy(() -> SourcePosition.compareSequenceNumbers("12a", "3"))
                .isInstanceOf(NumberFormatException.class);
    }

    private static String randomDigits(Random random) {
        StringBuilder digits = new StringBuilder();
        int zeros = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
        digits.append("0".repeat(zeros));
        int length = 1 + random.nextInt(random.nextBoolean() ? 3 : 60);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(random.nextBoolean() ? 2 : 10)));
        }
        return digits.toString();
    }

    @Test
    void aShardsPositionNeverMovesBack() {
        SourcePositions positions = new SourcePositions();
        positions.advance(SHARD, new SourcePosition("100", 0, 5));
        positions.advance(SHARD, new SourcePosition("99", 7, 9));
        assertThat(positions.get(SHARD)).isEqualTo(new SourcePosition("100", 0, 5));

        SourcePositions later = new SourcePositions();
        later.advance(SHARD, new SourcePosition("100", 1, 6));
        positions.merge(later);
        assertThat(positions.get(SHARD)).isEqualTo(new SourcePosition("100", 1, 6));
    }

    @Test
    void somethingThatIsNotASequenceNumberIsRejected() {
        for (String notDecimal : new String[] {"12a", "", "-1", "1.5", " 12", "١٢"}) {
            assertThatThrownBy(() -> new SourcePosition(notDecimal, 0, 0))
                    .as("'%s'", notDecimal)
                    .hasMessageContaining("decimal number");
        }
        assertThatThrownBy(() -> new SourcePosition("12", -1, 0)).hasMessageContaining("0 or more");
    }

    @Test
    void theBinaryLayoutIsPinned() throws Exception {
        SourcePositions positions = new SourcePositions();
        positions.advance(new StreamShard("s", "a"), new SourcePosition("12", 3, 4));
        DataOutputSerializer out = new DataOutputSerializer(64);
        positions.write(out);
        byte[] bytes = out.getCopyOfBuffer();
        // count=1, "s", "a", "12", 3L, 4L
        assertThat(bytes)
                .containsExactly(
                        0, 0, 0, 1, 0, 1, 's', 0, 1, 'a', 0, 2, '1', '2', 0, 0, 0, 0, 0, 0, 0, 3, 0,
                        0, 0, 0, 0, 0, 0, 4);
        assertThat(SourcePositions.read(new DataInputDeserializer(bytes))).isEqualTo(positions);
    }
}
