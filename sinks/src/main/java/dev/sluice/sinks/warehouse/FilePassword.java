package dev.sluice.sinks.warehouse;

import org.apache.flink.util.function.SerializableSupplier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the password from a file each time a connection is opened, so a rotated secret (a
 * re-mounted Kubernetes secret, say) is picked up without a restart. Errors name the file, never
 * its content.
 */
public final class FilePassword implements SerializableSupplier<String> {

    private static final long serialVersionUID = 1L;

    private final String file;

    public FilePassword(String file) {
        this.file = file;
    }

    @Override
    public String get() {
        String content;
        try {
            content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot read the warehouse password file "
                            + file
                            + " on this task manager ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
        String password = content.strip();
        if (password.isEmpty()) {
            throw new IllegalStateException("The warehouse password file " + file + " is empty");
        }
        return password;
    }

    @Override
    public String toString() {
        return "file:" + file;
    }
}
