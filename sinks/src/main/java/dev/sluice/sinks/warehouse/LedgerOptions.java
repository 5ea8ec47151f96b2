package dev.sluice.sinks.warehouse;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a load leaves behind to be exactly once and auditable: the schema of the {@link LoadLedger}
 * tables, the directory of the manifests, and the directory loads that gave up go to. Validated
 * once in {@link Builder#build()}; the checks that depend on the warehouse (identifier length,
 * Redshift reading manifests only from S3) are {@link WarehouseLoaderConfig}'s.
 *
 * <p>Each setting is described in {@code docs/configuration.md}.
 */
public final class LedgerOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_LEDGER_SCHEMA = "public";

    private final String ledgerSchema;
    private final String manifestBasePath;
    private final String failedLoadBasePath;

    private LedgerOptions(String ledgerSchema, String manifestBasePath, String failedLoadBasePath) {
        this.ledgerSchema = ledgerSchema;
        this.manifestBasePath = manifestBasePath;
        this.failedLoadBasePath = failedLoadBasePath;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String ledgerSchema() {
        return ledgerSchema;
    }

    /** The manifest directory, always ending in {@code /}. */
    public String manifestBasePath() {
        return manifestBasePath;
    }

    /** Where the manifest of a load lives, as Flink's file systems name it. */
    public String manifestPath(LoadId loadId) {
        return manifestBasePath + loadId.value() + ".manifest";
    }

    /** Where loads that gave up go, always ending in {@code /}; see {@link FailedLoadWriter}. */
    public String failedLoadBasePath() {
        return failedLoadBasePath;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return builder()
                .ledgerSchema(ledgerSchema)
                .manifestBasePath(manifestBasePath)
                .failedLoadBasePath(failedLoadBasePath);
    }

    @Override
    public String toString() {
        return "manifestBasePath="
                + manifestBasePath
                + ", ledgerSchema="
                + ledgerSchema
                + ", failedLoadBasePath="
                + failedLoadBasePath;
    }

    /** Collects settings; {@link #build()} validates them all. */
    public static final class Builder {

        private String ledgerSchema = DEFAULT_LEDGER_SCHEMA;
        private String manifestBasePath;
        private String failedLoadBasePath;

        private Builder() {}

        public Builder ledgerSchema(String ledgerSchema) {
            this.ledgerSchema = ledgerSchema;
            return this;
        }

        /** Directory for manifests, e.g. {@code s3://bucket/prefix/manifests/}. */
        public Builder manifestBasePath(String manifestBasePath) {
            this.manifestBasePath = manifestBasePath;
            return this;
        }

        /**
         * Directory for loads that gave up, e.g. {@code s3://bucket/prefix/errors/load-failed/}; by
         * default {@code errors/load-failed/} beside the manifest directory.
         */
        public Builder failedLoadBasePath(String failedLoadBasePath) {
            this.failedLoadBasePath = failedLoadBasePath;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or invalid
         */
        public LedgerOptions build() {
            String schema = SqlIdentifiers.identifier("ledger schema", ledgerSchema);
            String basePath = normaliseBasePath("manifest base path", manifestBasePath);
            String failedPath =
                    failedLoadBasePath == null || failedLoadBasePath.isBlank()
                            ? defaultFailedLoadPath(basePath)
                            : normaliseBasePath("failed-load base path", failedLoadBasePath);
            return new LedgerOptions(schema, basePath, failedPath);
        }

        /** {@code …/manifests/} → {@code …/errors/load-failed/}; else a subdirectory of it. */
        private static String defaultFailedLoadPath(String manifestPath) {
            String suffix = "manifests/";
            String parent =
                    manifestPath.endsWith("/" + suffix)
                            ? manifestPath.substring(0, manifestPath.length() - suffix.length())
                            : manifestPath;
            return parent + "errors/load-failed/";
        }

        private static String normaliseBasePath(String role, String path) {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException(
                        "The " + role + " must be set, e.g. s3://bucket/prefix/manifests/");
            }
            String trimmed = path.trim();
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "The "
                                + role
                                + " "
                                + SqlIdentifiers.describe(trimmed)
                                + " is not a URI: "
                                + e.getMessage(),
                        e);
            }
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException(
                        "The "
                                + role
                                + " "
                                + SqlIdentifiers.describe(trimmed)
                                + " needs a scheme, e.g. s3://bucket/prefix/manifests/");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(
                        "The "
                                + role
                                + " "
                                + SqlIdentifiers.describe(trimmed)
                                + " must not have a query or fragment");
            }
            return trimmed.endsWith("/") ? trimmed : trimmed + '/';
        }
    }
}
