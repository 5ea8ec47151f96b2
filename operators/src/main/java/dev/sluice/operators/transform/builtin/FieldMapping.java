package dev.sluice.operators.transform.builtin;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * A top-level field and the name it gets in the output: {@code source} or {@code source:target} in
 * configuration.
 */
public record FieldMapping(String source, String target) implements Serializable {

    public FieldMapping {
        checkArgument(source != null && !source.isBlank(), "field name must not be blank");
        checkArgument(target != null && !target.isBlank(), "target name must not be blank");
    }

    /** Parses {@code a, b:c, d} into a→a, b→c, d→d. */
    public static List<FieldMapping> parseList(String spec) {
        List<FieldMapping> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            if (colon < 0) {
                out.add(new FieldMapping(p, p));
            } else {
                out.add(
                        new FieldMapping(
                                p.substring(0, colon).trim(), p.substring(colon + 1).trim()));
            }
        }
        checkArgument(!out.isEmpty(), "at least one field is needed");
        return out;
    }

    /** Parses {@code a, b} into a list of names. */
    public static List<String> parseNames(String spec) {
        List<String> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        checkArgument(!out.isEmpty(), "at least one field is needed");
        return out;
    }
}
