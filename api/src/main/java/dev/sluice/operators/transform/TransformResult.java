package dev.sluice.operators.transform;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * What a transform decided for one record: Firehose's three outcomes.
 *
 * <ul>
 *   <li>{@link Ok}: deliver the record, optionally with a rewritten payload and extra partition
 *       keys;
 *   <li>{@link Dropped}: the record is intentionally not delivered (a filter); it is counted, not
 *       lost;
 *   <li>{@link ProcessingFailed}: the record could not be processed; it goes to {@code
 *       errors/processing-failed/} with the code and message, byte for byte as it arrived.
 * </ul>
 *
 * <p>The interface is sealed so that these three are the only possible answers, and a transform
 * <em>returns</em> one rather than emitting into a collector: a method that must return a value
 * cannot forget to decide without failing to compile.
 */
@PublicEvolving
public sealed interface TransformResult
        permits TransformResult.Ok, TransformResult.Dropped, TransformResult.ProcessingFailed {

    /** Deliver the payload unchanged. */
    static Ok ok() {
        return new Ok(null, Map.of());
    }

    /** Deliver this payload instead of the original. */
    static Ok ok(byte[] data) {
        return new Ok(checkNotNull(data, "data"), Map.of());
    }

    /** Deliver this payload with extra partition keys (for prefixes built from record fields). */
    static Ok ok(byte[] data, Map<String, String> partitionKeys) {
        return new Ok(checkNotNull(data, "data"), partitionKeys);
    }

    static Dropped dropped() {
        return Dropped.INSTANCE;
    }

    /**
     * @param errorCode a short, stable, machine-readable code such as {@code Json.Invalid}
     * @param errorMessage what went wrong, for the person reading the error envelope; it is stored
     *     next to the raw record but never logged
     */
    static ProcessingFailed processingFailed(String errorCode, String errorMessage) {
        return new ProcessingFailed(errorCode, errorMessage);
    }

    /**
     * The record is delivered.
     *
     * @param data the new payload, or {@code null} to keep the payload as it was
     * @param partitionKeys extra partition keys, never null
     */
    record Ok(byte[] data, Map<String, String> partitionKeys) implements TransformResult {

        public Ok {
            checkNotNull(partitionKeys, "partitionKeys");
            partitionKeys.forEach(
                    (k, v) ->
                            checkArgument(
                                    k != null && !k.isEmpty() && v != null,
                                    "partition keys need a non-empty name and a value"));
            // Nearly every record has none: no copy then, as this runs for each of them.
            partitionKeys =
                    partitionKeys.isEmpty()
                            ? Map.of()
                            : Map.copyOf(new LinkedHashMap<>(partitionKeys));
        }

        /** Whether the payload was rewritten. */
        public boolean rewritesData() {
            return data != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ok other
                    && Arrays.equals(data, other.data)
                    && partitionKeys.equals(other.partitionKeys);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + partitionKeys.hashCode();
        }

        /** Never prints the payload: it may hold personal data. */
        @Override
        public String toString() {
            return "Ok{bytes="
                    + (data == null ? "unchanged" : Integer.toString(data.length))
                    + ", partitionKeys="
                    + partitionKeys.keySet()
                    + '}';
        }
    }

    /** The record is intentionally not delivered. */
    final class Dropped implements TransformResult {

        private static final Dropped INSTANCE = new Dropped();

        private Dropped() {}

        @Override
        public String toString() {
            return "Dropped";
        }
    }

    /** The record goes to the errors prefix with this code and message. */
    record ProcessingFailed(String errorCode, String errorMessage) implements TransformResult {

        public ProcessingFailed {
            checkArgument(errorCode != null && !errorCode.isBlank(), "errorCode must not be blank");
            errorMessage = errorMessage == null ? "" : errorMessage;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ProcessingFailed other
                    && Objects.equals(errorCode, other.errorCode)
                    && Objects.equals(errorMessage, other.errorMessage);
        }

        @Override
        public int hashCode() {
            return Objects.hash(errorCode, errorMessage);
        }
    }
}
