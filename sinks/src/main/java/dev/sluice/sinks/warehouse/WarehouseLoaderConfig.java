package dev.sluice.sinks.warehouse;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a {@link WarehouseLoader} needs, in three parts as flink-connector-jdbc splits its options:
 * the {@link CopyTarget} (what to COPY where), the {@link LedgerOptions} (what each load leaves
 * behind) and the {@link JdbcConnectionProvider}. How the loader runs (retries, merging a backlog)
 * is the loader operator's, not the warehouse's.
 *
 * <pre>{@code
 * WarehouseLoaderConfig config =
 *         WarehouseLoaderConfig.builder()
 *                 .target(CopyTarget.builder()
 *                         .dialect(WarehouseDialect.named("redshift"))
 *                         .targetTable("analytics.events")
 *                         .columns(List.of("event_id", "user_id", "payload"))
 *                         .iamRole("arn:aws:iam::123456789012:role/sluice-copy")
 *                         .build())
 *                 .ledger(LedgerOptions.builder()
 *                         .manifestBasePath("s3://bucket/sluice/manifests/")
 *                         .build())
 *                 .connectionProvider(new DriverManagerConnectionProvider(url, user, password))
 *                 .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks what depends on more than one part: the ledger schema's length
 * in the target's dialect, and that the dialect can read manifests where they go.
 */
public final class WarehouseLoaderConfig implements Serializable {

    private static final long serialVersionUID = 2L;

    private final CopyTarget target;
    private final LedgerOptions ledger;
    private final JdbcConnectionProvider connectionProvider;

    private WarehouseLoaderConfig(
            CopyTarget target, LedgerOptions ledger, JdbcConnectionProvider connectionProvider) {
        this.target = target;
        this.ledger = ledger;
        this.connectionProvider = connectionProvider;
    }

    public static Builder builder() {
        return new Builder();
    }

    public CopyTarget target() {
        return target;
    }

    public LedgerOptions ledger() {
        return ledger;
    }

    public JdbcConnectionProvider connectionProvider() {
        return connectionProvider;
    }

    /** For tests and the job: the same settings with another connection provider. */
    public WarehouseLoaderConfig withConnectionProvider(JdbcConnectionProvider provider) {
        return toBuilder().connectionProvider(Objects.requireNonNull(provider, "provider")).build();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return builder().target(target).ledger(ledger).connectionProvider(connectionProvider);
    }

    @Override
    public String toString() {
        return "WarehouseLoaderConfig{"
                + target
                + ", "
                + ledger
                + ", connectionProvider="
                + connectionProvider
                + '}';
    }

    /** Collects the parts; {@link #build()} checks them against each other. */
    public static final class Builder {

        private CopyTarget target;
        private LedgerOptions ledger;
        private JdbcConnectionProvider connectionProvider;

        private Builder() {}

        public Builder target(CopyTarget target) {
            this.target = target;
            return this;
        }

        public Builder ledger(LedgerOptions ledger) {
            this.ledger = ledger;
            return this;
        }

        public Builder connectionProvider(JdbcConnectionProvider connectionProvider) {
            this.connectionProvider = connectionProvider;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or invalid
         */
        public WarehouseLoaderConfig build() {
            if (target == null) {
                throw new IllegalArgumentException("The copy target must be set");
            }
            if (ledger == null) {
                throw new IllegalArgumentException("The ledger options must be set");
            }
            if (connectionProvider == null) {
                throw new IllegalArgumentException("The JDBC connection provider must be set");
            }
            CopyTarget.checkLength(target.dialect(), "ledger schema", ledger.ledgerSchema());
            target.dialect().warehouseUrl(ledger.manifestBasePath());
            return new WarehouseLoaderConfig(target, ledger, connectionProvider);
        }
    }
}
