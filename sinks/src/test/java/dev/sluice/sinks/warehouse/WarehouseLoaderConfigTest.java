package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong settings fail when the job is built, each with a message naming the setting. */
class WarehouseLoaderConfigTest {

    private static final JdbcConnectionProvider NO_DATABASE =
            () -> {
                throw new AssertionError("not used");
            };

    private static WarehouseLoaderConfig.Builder redshift() {
        return WarehouseLoaderConfig.builder()
                .dialect("redshift")
                .targetTable("analytics.events")
                .columns("id,name")
                .iamRole("arn:aws:iam::123456789012:role/sluice-copy")
                .manifestBasePath("s3://bucket/sluice/manifests")
                .connectionProvider(NO_DATABASE);
    }

    private static WarehouseLoaderConfig.Builder postgres() {
        return WarehouseLoaderConfig.builder()
                .dialect("postgres")
                .targetTable("events")
                .columns("id,name")
                .manifestBasePath("file:///tmp/manifests/")
                .connectionProvider(NO_DATABASE);
    }

    @Test
    void defaultsAreFirehosesGzipJsonAutoAndThePublicLedgerSchema() {
        WarehouseLoaderConfig config = redshift().build();

        assertThat(config.copyOptions().text()).isEqualTo("JSON 'auto' GZIP");
        assertThat(config.ledgerSchema()).isEqualTo("public");
        assertThat(config.manifestBasePath()).isEqualTo("s3://bucket/sluice/manifests/");
        assertThat(config.manifestPath(LoadId.forUrls(java.util.List.of("s3://b/a"))))
                .matches("s3://bucket/sluice/manifests/[0-9a-f]{64}\\.manifest");
        assertThat(config.targetTable().quoted()).isEqualTo("\"analytics\".\"events\"");
        assertThat(config.columns()).containsExactly("id", "name");
    }

    @Test
    void dialectTargetTableManifestPathAndConnectionAreRequired() {
        assertThatThrownBy(() -> redshift().dialect((String) null).build())
                .hasMessage("The warehouse dialect must be set: redshift or postgres");
        assertThatThrownBy(() -> redshift().targetTable(null).build())
                .hasMessage("The target table must be set");
        assertThatThrownBy(() -> redshift().manifestBasePath(" ").build())
                .hasMessage(
                        "The manifest base path must be set, e.g. s3://bucket/prefix/manifests/");
        assertThatThrownBy(() -> redshift().manifestBasePath("bucket/manifests").build())
                .hasMessageContaining("needs a scheme");
        assertThatThrownBy(() -> redshift().connectionProvider(null).build())
                .hasMessage("The JDBC connection provider must be set");
    }

    @Test
    void hostileIdentifiersAreRejectedNamingTheirSetting() {
        assertThatThrownBy(() -> redshift().targetTable("users; drop table x").build())
                .hasMessageStartingWith("The target table \"users; drop table x\" is not a plain");
        assertThatThrownBy(() -> redshift().columns("id,a\"b").build())
                .hasMessageStartingWith("The column #2 \"a\\\"b\" is not a plain");
        assertThatThrownBy(() -> redshift().ledgerSchema("").build())
                .hasMessage("The ledger schema must not be empty");
        assertThatThrownBy(() -> redshift().targetTable("s." + "t".repeat(128)).build())
                .hasMessageContaining("is 128 bytes long");
    }

    @Test
    void postgresRejectsNamesItWouldSilentlyTruncate() {
        assertThat(postgres().columns("a".repeat(63)).build().columns()).hasSize(1);
        assertThatThrownBy(() -> postgres().columns("a".repeat(64)).build())
                .hasMessageEndingWith(
                        "is longer than the 63 bytes postgres keeps of an identifier");
    }

    @Test
    void redshiftNeedsAnIamRoleArnAndAnS3ManifestPath() {
        assertThatThrownBy(() -> redshift().iamRole(null).build())
                .hasMessageStartingWith("The redshift dialect needs an IAM role");
        assertThatThrownBy(() -> redshift().iamRole("arn:aws:iam::1:role/x' --").build())
                .hasMessageStartingWith("The IAM role \"arn:aws:iam::1:role/x' --\" is not");
        assertThatThrownBy(() -> redshift().manifestBasePath("file:///tmp/m").build())
                .hasMessageStartingWith("Redshift COPY reads only from S3");
        assertThat(redshift().iamRole("default").build().iamRole()).isEqualTo("default");
        assertThat(
                        redshift()
                                .iamRole(
                                        "arn:aws:iam::123456789012:role/a,"
                                                + "arn:aws-cn:iam::210987654321:role/path/b")
                                .build()
                                .iamRole())
                .contains(",");
    }

    @Test
    void redshiftMayOmitTheColumnListButPostgresNeedsIt() {
        assertThat(redshift().columns("").build().columns()).isEmpty();
        assertThatThrownBy(() -> postgres().columns("").build())
                .hasMessageStartingWith("The postgres dialect needs the column list");
    }

    @Test
    void postgresRejectsCopyOptionsItCannotReproduce() {
        assertThatThrownBy(() -> postgres().copyOptions("CSV GZIP").build())
                .hasMessage(
                        "CopyOptions \"CSV GZIP\" say CSV, but the staged files are JSON+GZIP");
        assertThatThrownBy(() -> postgres().copyOptions("JSON 'auto' BZIP2").build())
                .hasMessage(
                        "The postgres dialect reads JSON lines plain or GZIP; CopyOptions"
                                + " \"JSON 'auto' BZIP2\" ask for BZIP2");
        assertThatThrownBy(() -> postgres().copyOptions("JSON 's3://b/paths.json'").build())
                .hasMessageContaining("asks for JSON 's3://b/paths.json'");
        assertThatThrownBy(() -> postgres().copyOptions("GZIP").build())
                .hasMessageContaining("does not say JSON");
        assertThat(postgres().copyOptions("JSON 'auto ignorecase' TIMEFORMAT 'auto'").build())
                .isNotNull();
    }

    @Test
    void unsafeCopyOptionsAreRejectedForEveryDialect() {
        assertThatThrownBy(() -> redshift().copyOptions("JSON 'auto'; DROP TABLE x").build())
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
