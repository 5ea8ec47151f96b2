package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong settings fail when the job is built, each with a message naming the setting. */
class WarehouseLoaderConfigTest {

    private static final JdbcConnectionProvider NO_DATABASE =
            () -> {
                throw new AssertionError("not used");
            };

    private static CopyTarget.Builder redshiftTarget() {
        return CopyTarget.builder()
                .dialect(WarehouseDialect.named("redshift"))
                .targetTable("analytics.events")
                .columns(List.of("id", "name"))
                .iamRole("arn:aws:iam::123456789012:role/sluice-copy");
    }

    private static LedgerOptions.Builder ledger() {
        return LedgerOptions.builder().manifestBasePath("s3://bucket/sluice/manifests");
    }

    private static WarehouseLoaderConfig.Builder redshift() {
        return WarehouseLoaderConfig.builder()
                .target(redshiftTarget().build())
                .ledger(ledger().build())
                .connectionProvider(NO_DATABASE);
    }

    private static CopyTarget.Builder postgresTarget() {
        return CopyTarget.builder()
                .dialect(WarehouseDialect.named("postgres"))
                .targetTable("events")
                .columns(List.of("id", "name"));
    }

    @Test
    void defaultsAreFirehosesGzipJsonAutoAndThePublicLedgerSchema() {
        WarehouseLoaderConfig config = redshift().build();

        assertThat(config.target().copyOptions().text()).isEqualTo("JSON 'auto' GZIP");
        assertThat(config.ledger().ledgerSchema()).isEqualTo("public");
        assertThat(config.ledger().manifestBasePath()).isEqualTo("s3://bucket/sluice/manifests/");
        assertThat(config.ledger().manifestPath(LoadId.forUrls(java.util.List.of("s3://b/a"))))
                .matches("s3://bucket/sluice/manifests/[0-9a-f]{64}\\.manifest");
        assertThat(config.target().table().quoted()).isEqualTo("\"analytics\".\"events\"");
        assertThat(config.target().columns()).containsExactly("id", "name");
    }

    @Test
    void dialectTargetTableManifestPathAndConnectionAreRequired() {
        assertThatThrownBy(() -> redshiftTarget().dialect(null).build())
                .hasMessage("The warehouse dialect must be set: redshift or postgres");
        assertThatThrownBy(() -> redshiftTarget().targetTable(null).build())
                .hasMessage("The target table must be set");
        assertThatThrownBy(() -> ledger().manifestBasePath(" ").build())
                .hasMessage(
                        "The manifest base path must be set, e.g. s3://bucket/prefix/manifests/");
        assertThatThrownBy(() -> ledger().manifestBasePath("bucket/manifests").build())
                .hasMessageContaining("needs a scheme");
        assertThatThrownBy(() -> redshift().connectionProvider(null).build())
                .hasMessage("The JDBC connection provider must be set");
    }

    @Test
    void hostileIdentifiersAreRejectedNamingTheirSetting() {
        assertThatThrownBy(() -> redshiftTarget().targetTable("users; drop table x").build())
                .hasMessageStartingWith("The target table \"users; drop table x\" is not a plain");
        assertThatThrownBy(() -> redshiftTarget().columns(List.of("id", "a\"b")).build())
                .hasMessageStartingWith("The column #2 \"a\\\"b\" is not a plain");
        assertThatThrownBy(() -> ledger().ledgerSchema("").build())
                .hasMessage("The ledger schema must not be empty");
        assertThatThrownBy(() -> redshiftTarget().targetTable("s." + "t".repeat(128)).build())
                .hasMessageContaining("is 128 bytes long");
    }

    @Test
    void postgresRejectsNamesItWouldSilentlyTruncate() {
        assertThat(postgresTarget().columns(List.of("a".repeat(63))).build().columns()).hasSize(1);
        assertThatThrownBy(() -> postgresTarget().columns(List.of("a".repeat(64))).build())
                .hasMessageEndingWith(
                        "is longer than the 63 bytes postgres keeps of an identifier");
    }

    @Test
    void redshiftNeedsAnIamRoleArnAndAnS3ManifestPath() {
        assertThatThrownBy(() -> redshiftTarget().iamRole(null).build())
                .hasMessageStartingWith("The redshift dialect needs an IAM role");
        assertThatThrownBy(() -> redshiftTarget().iamRole("arn:aws:iam::1:role/x' --").build())
                .hasMessageStartingWith("The IAM role \"arn:aws:iam::1:role/x' --\" is not");
        assertThatThrownBy(
                        () ->
                                redshift()
                                        .ledger(ledger().manifestBasePath("file:///tmp/m").build())
                                        .build())
                .hasMessageStartingWith("Redshift COPY reads only from S3");
        assertThat(redshiftTarget().iamRole("default").build().iamRole()).isEqualTo("default");
        assertThat(
                        redshiftTarget()
                                .iamRole(
                                        "arn:aws:iam::123456789012:role/a,"
                                                + "arn:aws-cn:iam::210987654321:role/path/b")
                                .build()
                                .iamRole())
                .contains(",");
    }

    @Test
    void redshiftMayOmitTheColumnListButPostgresNeedsIt() {
        assertThat(redshiftTarget().columns(List.of()).build().columns()).isEmpty();
        assertThatThrownBy(() -> postgresTarget().columns(List.of()).build())
                .hasMessageStartingWith("The postgres dialect needs the column list");
    }

    @Test
    void postgresRejectsCopyOptionsItCannotReproduce() {
        assertThatThrownBy(() -> postgresTarget().copyOptions("CSV GZIP").build())
                .hasMessage("CopyOptions \"CSV GZIP\" say CSV, but the staged files are JSON+GZIP");
        assertThatThrownBy(() -> postgresTarget().copyOptions("JSON 'auto' BZIP2").build())
                .hasMessage(
                        "The postgres dialect reads JSON lines plain or GZIP; CopyOptions"
                                + " \"JSON 'auto' BZIP2\" ask for BZIP2");
        assertThatThrownBy(() -> postgresTarget().copyOptions("JSON 's3://b/paths.json'").build())
                .hasMessageContaining("asks for JSON 's3://b/paths.json'");
        assertThatThrownBy(() -> postgresTarget().copyOptions("GZIP").build())
                .hasMessageContaining("does not say JSON");
        assertThat(postgresTarget().copyOptions("JSON 'auto ignorecase' TIMEFORMAT 'auto'").build())
                .isNotNull();
    }

    @Test
    void unsafeCopyOptionsAreRejectedForEveryDialect() {
        assertThatThrownBy(() -> redshiftTarget().copyOptions("JSON 'auto'; DROP TABLE x").build())
                .hasMessageStartingWith("CopyOptions may only contain");
    }

    @Test
    void toStringShowsSettingsButNoPassword() {
        WarehouseLoaderConfig config =
                redshift()
                        .connectionProvider(
                                new DriverManagerConnectionProvider(
                                        "jdbc:redshift://host:5439/dev", "loader", () -> "hunter2"))
                        .build();

        assertThat(config.toString())
                .contains("dialect=redshift", "targetTable=analytics.events", "user=loader")
                .doesNotContain("hunter2");
    }
}
