package dev.sluice.sinks.s3.prefix;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionValueEncodingTest {

    @Test
    void distinctValuesNeverShareAnEncoding() {
        List<String> values = List.of("a/b", "a%2Fb", "a%252Fb", ".a", "%2Ea", "a.", "a b", "a+b");
        Set<String> encoded = new HashSet<>();
        for (String v : values) {
            encoded.add(PartitionValueEncoding.encode(v));
        }
        assertThat(encoded).hasSameSizeAs(values);
    }

    @Test
    void encodedValuesHoldOnlyKeySafeCharactersAndNeverStartWithADot() {
        for (String v : List.of("..", ".", "../../etc", "\u0000", "日本", "a*b'c(d)!")) {
            String e = PartitionValueEncoding.encode(v);
            assertThat(e).matches("[A-Za-z0-9._%-]+").doesNotStartWith(".").doesNotContain("/");
        }
    }
}
