package dev.sluice.operators.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonPayloads#isValidUtf8} walks bytes instead of decoding them; it must still give the
 * strict decoder's verdict ({@link JsonPayloads#utf8}), since records it lets through are staged
 * and loaded as text.
 */
class JsonPayloadsUtf8Test {

    @Test
    void acceptsWellFormedTextOfEveryWidth() {
        String text = "plain ascii, café, 中文, emoji 😀, the last code point \uDBFF\uDFFF";
        assertThat(JsonPayloads.isValidUtf8(text.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(JsonPayloads.isValidUtf8(new byte[0])).isTrue();
    }

    @Test
    void rejectsEachKindOfMalformedSequence() {
        assertThat(JsonPayloads.isValidUtf8(bytes(0x80))).as("lone continuation").isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xC0, 0xAF))).as("overlong 2-byte").isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xE0, 0x80, 0xAF))).as("overlong 3").isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xF0, 0x80, 0x80, 0xAF)))
                .as("overlong 4")
                .isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xED, 0xA0, 0x80))).as("surrogate").isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xF4, 0x90, 0x80, 0x80)))
                .as("above U+10FFFF")
                .isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xF5, 0x80, 0x80, 0x80)))
                .as("lead byte F5")
                .isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes('a', 0xE2, 0x82))).as("truncated").isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xE2, 0x28, 0xA1))).as("bad second").isFalse();
        assertThat(JsonPayloads.isValidUtf8(bytes(0xE2, 0x82, 0x28))).as("bad third").isFalse();
    }

    /**
     * Random byte strings biased towards multi-byte lead and continuation bytes, so that both
     * verdicts are common: the walk and the JDK's strict decoder must agree on every one.
     */
    @Test
    void agreesWithTheStrictDecoderOnRandomInput() {
        Random random = new Random(20261201L);
        int valid = 0;
        for (int round = 0; round < 200_000; round++) {
            // Up to 24 bytes with long ASCII runs, so the walk's eight-bytes-at-a-time skip
            // meets a bad byte at every position of a word.
            byte[] payload = new byte[1 + random.nextInt(24)];
            boolean mostlyAscii = random.nextBoolean();
            for (int i = 0; i < payload.length; i++) {
                int pick = mostlyAscii && random.nextInt(8) != 0 ? 0 : random.nextInt(4);
                payload[i] =
                        (byte)
                                (pick == 0
                                        ? random.nextInt(0x80)
                                        : pick == 1
                                                ? 0x80 + random.nextInt(0x40)
                                                : 0xC0 + random.nextInt(0x40));
            }
            boolean decoded = decodes(payload);
            assertThat(JsonPayloads.isValidUtf8(payload)).as("%s", hex(payload)).isEqualTo(decoded);
            valid += decoded ? 1 : 0;
        }
        assertThat(valid).as("valid inputs among the random ones").isGreaterThan(1_000);
    }

    private static boolean decodes(byte[] payload) {
        try {
            JsonPayloads.utf8(payload);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static String hex(byte[] payload) {
        StringBuilder out = new StringBuilder();
        for (byte b : payload) {
            out.append(String.format("%02X ", b & 0xFF));
        }
        return out.toString().trim();
    }
}
