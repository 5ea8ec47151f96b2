package dev.sluice.sinks.warehouse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates and quotes the SQL identifiers that come from configuration: the target table ({@code
 * DataTableName}), its columns ({@code DataTableColumns}) and the ledger schema.
 *
 * <p>They end up inside SQL text, so only plain identifiers are accepted: a letter or underscore,
 * then letters, digits, underscores or dollar signs, at most {@value #MAX_IDENTIFIER_BYTES} bytes
 * (Redshift's limit; PostgreSQL's is lower and {@link WarehouseDialect#maxIdentifierBytes()} checks
 * it). Anything else, such as {@code users; drop table x} or {@code a"b}, is rejected with an
 * {@link IllegalArgumentException} that names the setting and shows the value escaped, never raw.
 *
 * <p>Accepted names are folded to lower case, then double-quoted. Firehose users write these names
 * unquoted, and both Redshift and PostgreSQL fold unquoted names to lower case, so folding keeps
 * their meaning; quoting on top makes reserved words such as {@code user} or {@code timestamp} safe
 * as column names.
 */
public final class SqlIdentifiers {

    /** Redshift's limit on identifier length, in UTF-8 bytes. */
    public static final int MAX_IDENTIFIER_BYTES = 127;

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    /** How much of a rejected value an error message shows. */
    private static final int MAX_DESCRIBED_CHARS = 80;

    private SqlIdentifiers() {}

    /**
     * Validates one identifier and returns it folded to lower case, unquoted.
     *
     * @param role what the value configures, for the error message (e.g. "target table")
     */
    public static String identifier(String role, String value) {
        if (value == null) {
            throw new IllegalArgumentException("The " + role + " must be set");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("The " + role + " must not be empty");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException(
                    "The "
                            + role
                            + " "
                            + describe(value)
                            + " is "
                            + bytes
                            + " bytes long; identifiers may have at most "
                            + MAX_IDENTIFIER_BYTES);
        }
        if (!PLAIN_IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "The "
                            + role
                            + " "
                            + describe(value)
                            + " is not a plain SQL identifier: it must start with a letter or"
                            + " underscore and contain only letters, digits, underscores and"
                            + " dollar signs");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** Validates a {@code table} or {@code schema.table} name. */
    public static TableName table(String role, String value) {
        if (value == null) {
            throw new IllegalArgumentException("The " + role + " must be set");
        }
        String trimmed = value.trim();
        int dot = trimmed.indexOf('.');
        if (dot < 0) {
            return new TableName(null, identifier(role, trimmed));
        }
        if (trimmed.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException(
                    "The "
                            + role
                            + " "
                            + describe(value)
                            + " must be either table or schema.table");
        }
        return new TableName(
                identifier(role + "'s schema", trimmed.substring(0, dot).trim()),
                identifier(role, trimmed.substring(dot + 1).trim()));
    }

    /**
     * Validates column names, rejecting empty names and duplicates (after folding to lower case).
     * Splitting a configured list is the job configuration's ({@code OutputConfigReader}).
     */
    public static List<String> columns(String role, List<String> names) {
        List<String> validated = new ArrayList<>(names.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String column = identifier(role + " #" + (i + 1), names.get(i));
            if (!seen.add(column)) {
                throw new IllegalArgumentException(
                        "The " + role + " name " + describe(column) + " appears more than once");
            }
            validated.add(column);
        }
        return List.copyOf(validated);
    }

    /** Double-quotes an identifier, doubling any double quote inside it. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "a", "b"} → {@code "a","b"}, for column lists. */
    public static String quoteAll(List<String> identifiers) {
        StringBuilder sql = new StringBuilder();
        for (String identifier : identifiers) {
            if (sql.length() > 0) {
                sql.append(',');
            }
            sql.append(quote(identifier));
        }
        return sql.toString();
    }

    /**
     * A rejected value as an error message may show it: in double quotes, with quotes, backslashes
     * and control characters escaped and anything past {@value #MAX_DESCRIBED_CHARS} characters cut
     * off, so a hostile value can neither forge log lines nor flood them.
     */
    public static String describe(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(value.length(), MAX_DESCRIBED_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20
                            || c == 0x7f
                            || Character.isISOControl(c)
                            || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
        if (value.length() > shown) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
