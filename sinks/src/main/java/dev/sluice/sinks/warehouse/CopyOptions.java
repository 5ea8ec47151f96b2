package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The COPY options exactly as a Firehose user writes them in {@code CopyOptions}, for example
 * {@code JSON 'auto' GZIP TIMEFORMAT 'auto'}.
 *
 * <p>The Redshift dialect appends the text verbatim after {@code MANIFEST}, so it is checked here
 * first: it must be a sequence of words, numbers, {@code '…'} literals, commas and parentheses.
 * Statement separators and comments ({@code ;}, {@code --}, {@code /*}) outside literals are
 * rejected, so the text cannot end the COPY and start another statement, and so is {@code \'} in a
 * literal, which servers with and without backslash escapes would read differently. So are the
 * clauses the loader writes itself ({@code MANIFEST}, {@code IAM_ROLE}) and inline credentials
 * ({@code CREDENTIALS}, {@code ACCESS_KEY_ID}, {@code SECRET_ACCESS_KEY}, {@code SESSION_TOKEN}),
 * which would otherwise end up in logs. {@code MAXERROR} is refused too rather than reconciled: the
 * loader writes it from {@link CopyTarget#maxRejectedRows()} and must know the budget to read the
 * rejected rows back and to tell a load written off from one isolated, so a second, silent source
 * for the same number would only let the two disagree.
 *
 * <p>The PostgreSQL dialect reads the few options it can reproduce from the parsed words: the
 * {@code JSON} argument, {@code GZIP}, {@code EMPTYASNULL} and {@code BLANKSASNULL}.
 */
public final class CopyOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Set<String> OWNED_BY_LOADER =
            Set.of(
                    "MANIFEST",
                    "IAM_ROLE",
                    "CREDENTIALS",
                    "ACCESS_KEY_ID",
                    "SECRET_ACCESS_KEY",
                    "SESSION_TOKEN",
                    "WITH_CREDENTIALS");

    /** One lexical element of the options text. */
    record Token(Kind kind, String text) implements Serializable {
        enum Kind {
            WORD,
            LITERAL,
            PUNCTUATION
        }

        /** The upper-cased word, or null when this is not a word. */
        @Nullable
        String keyword() {
            return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : null;
        }
    }

    private final String text;
    private final List<Token> tokens;

    private CopyOptions(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = Collections.unmodifiableList(tokens);
    }

    /**
     * Checks and keeps the options text (surrounding blanks removed).
     *
     * @throws IllegalArgumentException naming the offending position if the text is not safe
     */
    public static CopyOptions parse(String text) {
        Objects.requireNonNull(text, "CopyOptions");
        String trimmed = text.trim();
        List<Token> tokens = tokenize(trimmed);
        for (Token token : tokens) {
            String keyword = token.keyword();
            if ("MAXERROR".equals(keyword)) {
                throw new IllegalArgumentException(
                        "CopyOptions must not contain MAXERROR: the loader sets it from the"
                                + " rejected-row budget (Warehouse max.rejected.rows), so that"
                                + " it reads back and writes out every row the COPY rejects");
            }
            if (keyword != null && OWNED_BY_LOADER.contains(keyword)) {
                throw new IllegalArgumentException(
                        "CopyOptions must not contain "
                                + keyword
                                + ": the loader writes MANIFEST and IAM_ROLE itself, and"
                                + " credentials do not belong in COPY text");
            }
        }
        return new CopyOptions(trimmed, tokens);
    }

    /** The options as given, for the Redshift COPY; may be empty. */
    public String text() {
        return text;
    }

    /** Whether a bare word (e.g. {@code GZIP}) is present, ignoring case. */
    public boolean hasKeyword(String keyword) {
        String wanted = keyword.toUpperCase(Locale.ROOT);
        for (Token token : tokens) {
            if (wanted.equals(token.keyword())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The literal after {@code JSON} or {@code FORMAT [AS] JSON}, such as {@code auto}; empty
     * string when {@code JSON} has no argument; null when the options do not say {@code JSON}.
     */
    @Nullable
    public String jsonArgument() {
        for (int i = 0; i < tokens.size(); i++) {
            if ("JSON".equals(tokens.get(i).keyword())) {
                if (i + 1 < tokens.size() && tokens.get(i + 1).kind() == Token.Kind.LITERAL) {
                    return tokens.get(i + 1).text();
                }
                return "";
            }
        }
        return null;
    }

    /** {@code JSON 'auto ignorecase'}: JSON keys match column names in any case. */
    public boolean jsonIgnoreCase() {
        String json = jsonArgument();
        return json != null && json.trim().equalsIgnoreCase("auto ignorecase");
    }

    List<Token> tokens() {
        return tokens;
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder literal = new StringBuilder();
                int start = i++;
                boolean closed = false;
                while (i < text.length()) {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < text.length()) {
                        if (text.charAt(i + 1) == '\'') {
                            // Redshift may read \' as an escaped quote or as a backslash and
                            // the closing quote; refuse what servers could read differently.
                            throw new IllegalArgumentException(
                                    "CopyOptions has a backslash before a quote at position "
                                            + (i + 1)
                                            + "; write '' for a quote inside a literal: "
                                            + SqlIdentifiers.describe(text));
                        }
                        literal.append(d).append(text.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        literal.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        closed = true;
                        break;
                    } else {
                        literal.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException(
                            "CopyOptions has a quote at position "
                                    + (start + 1)
                                    + " that is never closed: "
                                    + SqlIdentifiers.describe(text));
                }
                tokens.add(new Token(Token.Kind.LITERAL, literal.toString()));
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                int start = i;
                while (i < text.length()
                        && (Character.isLetterOrDigit(text.charAt(i))
                                || text.charAt(i) == '_'
                                || text.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.WORD, text.substring(start, i)));
            } else if (c == ',' || c == '(' || c == ')' || c == '=') {
                tokens.add(new Token(Token.Kind.PUNCTUATION, String.valueOf(c)));
                i++;
            } else if (c == '-' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                int start = i++;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.WORD, text.substring(start, i)));
            } else {
                throw new IllegalArgumentException(
                        "CopyOptions may only contain words, numbers, '…' literals, commas and"
                                + " parentheses; found "
                                + SqlIdentifiers.describe(String.valueOf(c))
                                + " at position "
                                + (i + 1)
                                + " of "
                                + SqlIdentifiers.describe(text));
            }
        }
        return tokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyOptions && ((CopyOptions) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
