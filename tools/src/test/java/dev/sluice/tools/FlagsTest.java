package dev.sluice.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlagsTest {

    private static final List<String> KNOWN = List.of("--count", "--name");

    @Test
    void aGivenFlagIsParsedAndAMissingOneKeepsItsDefault() {
        Flags flags = Flags.read(new String[] {"--count", "3"}, KNOWN);

        assertThat(flags.value("--count", 1, (flag, value) -> Integer.parseInt(value)))
                .isEqualTo(3);
        assertThat(flags.value("--name", "default", (flag, value) -> value)).isEqualTo("default");
    }

    @Test
    void aFlagGivenTwiceKeepsTheLastValue() {
        Flags flags = Flags.read(new String[] {"--name", "a", "--name", "b"}, KNOWN);

        assertThat(flags.<String>value("--name", null, (flag, value) -> value)).isEqualTo("b");
    }

    @Test
    void theParserIsToldWhichFlagItReads() {
        Flags flags = Flags.read(new String[] {"--count", "x"}, KNOWN);

        assertThatThrownBy(
                        () ->
                                flags.value(
                                        "--count",
                                        1,
                                        (flag, value) -> {
                                            throw new IllegalArgumentException(
                                                    flag + " takes a number, not '" + value + "'");
                                        }))
                .hasMessage("--count takes a number, not 'x'");
    }

    @Test
    void anUnknownFlagOrAMissingValueIsOneClearLine() {
        assertThatThrownBy(() -> Flags.read(new String[] {"--cuont", "3"}, KNOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown flag --cuont");
        assertThatThrownBy(() -> Flags.read(new String[] {"--name"}, KNOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--name needs a value");
        assertThatThrownBy(() -> Flags.read(new String[] {"3", "--count"}, KNOWN))
                .hasMessage("unknown flag 3");
    }
}
