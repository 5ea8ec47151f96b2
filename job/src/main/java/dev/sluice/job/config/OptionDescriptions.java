package dev.sluice.job.config;

import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.configuration.description.LineBreakElement;
import org.apache.flink.configuration.description.LinkElement;
import org.apache.flink.configuration.description.ListElement;
import org.apache.flink.configuration.description.TextElement;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Description} as one line of plain text, for error messages: Flink's own formatters write
 * HTML or Markdown, and the object's {@code toString} is only its identity.
 */
final class OptionDescriptions {

    private OptionDescriptions() {}

    static String plainText(Description description) {
        StringBuilder out = new StringBuilder();
        for (BlockElement block : description.getBlocks()) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
            }
            append(out, block);
        }
        return out.toString().trim();
    }

    private static void append(StringBuilder out, Object element) {
        if (element instanceof TextElement) {
            out.append(text((TextElement) element));
        } else if (element instanceof LinkElement) {
            out.append(((LinkElement) element).getText());
        } else if (element instanceof ListElement) {
            List<String> entries = new ArrayList<>();
            for (InlineElement entry : ((ListElement) element).getEntries()) {
                StringBuilder one = new StringBuilder();
                append(one, entry);
                entries.add(one.toString());
            }
            out.append(String.join("; ", entries));
        } else if (element instanceof LineBreakElement) {
            out.append(' ');
        }
    }

    private static String text(TextElement element) {
        List<InlineElement> inner = element.getElements();
        Object[] args = new Object[inner.size()];
        for (int i = 0; i < args.length; i++) {
            StringBuilder one = new StringBuilder();
            append(one, inner.get(i));
            args[i] = one.toString();
        }
        return args.length == 0 ? element.getFormat() : String.format(element.getFormat(), args);
    }
}
