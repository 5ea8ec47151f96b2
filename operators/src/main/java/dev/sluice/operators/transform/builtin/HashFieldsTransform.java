package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Built-in {@code hash}: replaces each listed top-level field with the lowercase hex SHA-256 of
 * salt + value, so records can still be joined on the field without the warehouse holding it.
 *
 * <p>String values are hashed as their UTF-8 text, other values as their JSON text ({@code 42},
 * {@code true}); {@code null} and missing fields stay as they are. The salt keeps the hash from
 * being reversed by hashing every possible phone number; it is never logged and not part of {@link
 * #toString()}.
 */
public final class HashFieldsTransform extends JsonObjectTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "hash";

    private final List<String> fields;
    private final String inlineSalt;
    private final String saltVariable;

    private transient byte[] salt;
    private transient MessageDigest digest;

    /**
     * @param salt the salt itself (it travels in the job graph; prefer {@link
     *     #saltFromEnvironment})
     */
    public HashFieldsTransform(List<String> fields, String salt) {
        this(fields, salt, null);
        checkArgument(salt != null && !salt.isEmpty(), "a hash salt is required");
    }

    private HashFieldsTransform(List<String> fields, String inlineSalt, String saltVariable) {
        this.fields = List.copyOf(fields);
        this.inlineSalt = inlineSalt;
        this.saltVariable = saltVariable;
    }

    /**
     * The salt is read from an environment variable on the task manager when the transform first
     * runs, so it is never part of the job graph or a savepoint.
     */
    public static HashFieldsTransform saltFromEnvironment(List<String> fields, String variable) {
        checkArgument(variable != null && !variable.isBlank(), "a variable name is required");
        return new HashFieldsTransform(fields, null, variable);
    }

    @Override
    TransformResult apply(ObjectNode object, SluiceRecord record) {
        for (String field : fields) {
            JsonNode value = object.get(field);
            if (value != null && !value.isNull()) {
                String text = value.isTextual() ? value.textValue() : value.toString();
                object.put(field, hash(text));
            }
        }
        return rewritten(object);
    }

    String hash(String value) {
        MessageDigest sha = digest();
        sha.reset();
        sha.update(salt());
        return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] salt() {
        if (salt == null) {
            String value = inlineSalt != null ? inlineSalt : System.getenv(saltVariable);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException(
                        "environment variable "
                                + saltVariable
                                + " holding the hash salt is not"
                                + " set on this task manager");
            }
            salt = value.getBytes(StandardCharsets.UTF_8);
        }
        return salt;
    }

    private MessageDigest digest() {
        if (digest == null) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
        return digest;
    }

    /** Names the fields only, never the salt. */
    @Override
    public String toString() {
        return NAME + fields;
    }
}
