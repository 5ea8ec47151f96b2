package dev.sluice.sinks.warehouse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The identity of one load: the hex SHA-256 of the sorted, distinct urls of the files it loads.
 *
 * <p>Derived only from what is loaded, never from a job id, attempt number or clock: a job restored
 * from a savepoint gets a new job id, yet replaying the same files must produce the same id and
 * therefore the same manifest name. The order in which files arrive does not matter.
 *
 * <p>Each url is hashed with its length in front, so no two different sets of urls can be confused
 * by where one url ends and the next begins.
 *
 * @param value 64 lower-case hex characters; also the manifest's file name
 */
public record LoadId(String value) {

    /** Length of {@link #value()}: fits the ledger's {@code varchar(64)}. */
    public static final int LENGTH = 64;

    public LoadId {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[0-9a-f]{" + LENGTH + "}")) {
            throw new IllegalArgumentException("Not a load id: " + SqlIdentifiers.describe(value));
        }
    }

    /** The id of loading exactly these files. */
    public static LoadId forFiles(Collection<StagedFile> files) {
        TreeSet<String> urls = new TreeSet<>();
        for (StagedFile file : files) {
            urls.add(file.url());
        }
        return forUrls(urls);
    }

    /** The id of loading exactly the files with these urls; duplicates count once. */
    public static LoadId forUrls(Collection<String> urls) {
        TreeSet<String> sorted = new TreeSet<>(urls);
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("A load needs at least one file");
        }
        MessageDigest sha256 = sha256();
        for (String url : sorted) {
            byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            sha256.update(bytes);
        }
        return new LoadId(HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
