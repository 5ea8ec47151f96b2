package dev.sluice.sinks.s3.prefix;

import java.nio.charset.StandardCharsets;

/**
 * Makes a partition value (from a payload field or a transform) safe to stand in an S3 key.
 *
 * <p>The value's UTF-8 bytes are kept where they are letters, digits, {@code -}, {@code _} or
 * {@code .}, and percent-encoded ({@code %2F}, upper-case hex) otherwise, {@code %} included, so
 * the encoding is reversible and two different values never share a directory. A leading dot is
 * encoded too. A value can therefore never add a directory ({@code /}), become a {@code .} or
 * {@code ..} segment that tools resolving paths would follow out of the prefix, or start a name
 * that Hadoop-style readers treat as hidden.
 *
 * <p>The set is narrower than the characters S3 calls safe ({@code ! * ' ( )} are left out) because
 * partition directories end up in shell commands, Hive paths and URLs.
 */
final class PartitionValueEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PartitionValueEncoding() {}

    /** {@code value} with every byte outside {@code [A-Za-z0-9._-]} as {@code %XX}. */
    static String encode(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            if (isKept(b) && !(i == 0 && b == '.')) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isKept(int b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '_'
                || b == '.';
    }
}
