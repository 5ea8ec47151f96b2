package dev.sluice.sinks.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.util.function.SerializableSupplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the warehouse password from AWS Secrets Manager where the loader connects, with the task
 * manager's own credentials (the MSF service role or the pod's IAM role).
 *
 * <p>The secret is either the bare password or a JSON object with a {@code password} key, the shape
 * Redshift, RDS and Firehose's {@code SecretsManagerConfiguration} use. It is cached for {@link
 * #CACHE_FOR} so that loads do not call AWS on every connection, and re-read after that so a
 * rotation is picked up without a restart. Errors name the secret's ARN, never its value.
 */
public final class SecretsManagerPassword implements SerializableSupplier<String> {

    private static final long serialVersionUID = 1L;

    static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:.+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secretArn;
    private transient String cached;
    private transient Instant cachedAt;

    /**
     * @throws IllegalArgumentException if {@code secretArn} is not a Secrets Manager secret ARN
     */
    public SecretsManagerPassword(String secretArn) {
        region(secretArn);
        this.secretArn = secretArn;
    }

    /** The region named in a Secrets Manager ARN. */
    static String region(String secretArn) {
        Matcher matcher = SECRET_ARN.matcher(secretArn == null ? "" : secretArn.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "The password's secret is not a Secrets Manager secret ARN"
                            + " (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
        }
        return matcher.group(1);
    }

    @Override
    public synchronized String get() {
        if (cached == null || cachedAt.plus(CACHE_FOR).isBefore(Instant.now())) {
            cached = fetch();
            cachedAt = Instant.now();
        }
        return cached;
    }

    private String fetch() {
        try (SecretsManagerClient client =
                SecretsManagerClient.builder().region(Region.of(region(secretArn))).build()) {
            String secret =
                    client.getSecretValue(
                                    GetSecretValueRequest.builder().secretId(secretArn).build())
                            .secretString();
            return passwordFrom(secret, secretArn);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException(
                    "Cannot read the warehouse password from Secrets Manager secret "
                            + secretArn
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
    }

    /** The password in a secret string: a JSON object's {@code password}, or the whole string. */
    static String passwordFrom(String secret, String secretArn) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(
                    "Secrets Manager secret " + secretArn + " has no string value");
        }
        String trimmed = secret.strip();
        if (trimmed.startsWith("{")) {
            JsonNode node;
            try {
                node = JSON.readTree(trimmed);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Secrets Manager secret " + secretArn + " looks like JSON but is not");
            }
            JsonNode password = node.get("password");
            if (password == null || !password.isTextual() || password.asText().isEmpty()) {
                throw new IllegalStateException(
                        "Secrets Manager secret "
                                + secretArn
                                + " is a JSON object without a \"password\" string");
            }
            return password.asText();
        }
        return trimmed;
    }

    @Override
    public String toString() {
        return "secretsmanager:" + secretArn;
    }
}
