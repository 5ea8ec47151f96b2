package dev.sluice.job.config;

import dev.sluice.sinks.loader.MergeLimits;
import dev.sluice.sinks.s3.format.OutputFormat;
import dev.sluice.sinks.warehouse.FilePassword;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SluiceConfigTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");

    @Test
    void theShippedRedshiftExampleIsValid() throws Exception {
        SluiceConfig config = SluiceConfig.from(ApplicationProperties.fromFile(EXAMPLE));

        assertThat(config.streamName()).isEqualTo("user-events");
        assertThat(config.consumerProperties())
                .containsEntry("aws.region", "us-east-1")
                .containsEntry("flink.stream.initpos", "TRIM_HORIZON");
        assertThat(config.bucketUri()).isEqualTo("s3://my-sluice-staging");
        assertThat(config.prefix().text())
                .isEqualTo("redshift-staging/user-events/!{timestamp:yyyy/MM/dd/HH}/");
        assertThat(config.loader().ledger().manifestBasePath())
                .isEqualTo("s3://my-sluice-staging/redshift-staging/user-events/manifests/");
        assertThat(config.buffering().maxPartFileBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(config.checkpointIntervalMs()).isEqualTo(60_000L);
    }

    @Test
    void aMisspeltKeyIsRejectedWithTheGroupAndKey() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("copy.option", "GZIP");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Warehouse'")
                .hasMessageContaining("copy.option");
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("KinesisSource").remove("stream.name");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(
                        "Property group 'KinesisSource' is missing required key 'stream.name':"
                                + " Name of the Kinesis data stream to read (required).");
    }

    @Test
    void aMalformedJsonFileIsNamedWithItsLineAndColumnAndNoToken(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(
                file,
                "[\n  {\"PropertyGroupId\": \"Warehouse\",\n"
                        + "   \"PropertyMap\": {\"password\": hunter2}}\n]\n");

        assertThatThrownBy(() -> ApplicationProperties.fromFile(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(
                        "Configuration file "
                                + file.toAbsolutePath()
                                + " is not valid JSON at line 3, column ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aHostileTableNameIsRejectedAtStartUp() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("table", "public.user_events; DROP TABLE users");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Warehouse'");
    }

    @Test
    void bufferingHintsOutsideFirehoseRangesAreRejected() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("S3").setProperty("buffering.interval.s", "901");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'S3'")
                .hasMessageContaining("0–900 s");

        groups.get("S3").setProperty("buffering.interval.s", "0");
        groups.get("S3").setProperty("buffering.size.mb", "129");
        assertThatThrownBy(() -> SluiceConfig.from(groups)).hasMessageContaining("1–128 MB");

        groups.get("S3").setProperty("buffering.size.mb", "ten");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'buffering.size.mb' is invalid");
    }

    @Test
    void aZeroBufferingIntervalCheckpointsEverySecond() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("S3").setProperty("buffering.interval.s", "0");
        assertThat(SluiceConfig.from(groups).checkpointIntervalMs()).isEqualTo(1_000L);
    }

    @Test
    void aPasswordIsNeverPartOfTheLoaderDescription() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").remove("password.secret.arn");
        groups.get("Warehouse").setProperty("password", "hunter2-very-secret");

        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.loader().toString()).doesNotContain("hunter2-very-secret");
    }

    @Test
    void bothPasswordSourcesAtOnceAreAmbiguous() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("password", "x");

        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("more than one of 'password', 'password.env'");
    }

    @Test
    void retryOptionsDefaultToFirehosesHourAndLoadFailedSitsBesideTheData() throws Exception {
        SluiceConfig config = SluiceConfig.from(ApplicationProperties.fromFile(EXAMPLE));

        assertThat(config.loaderExecution().retryPolicy().retryDuration()).hasSeconds(3600);
        assertThat(config.loader().ledger().failedLoadBasePath())
                .isEqualTo(
                        "s3://my-sluice-staging/redshift-staging/user-events/errors/load-failed/");
    }

    @Test
    void theRejectedRowBudgetIsReadKeptInRangeAndMaxErrorInCopyOptionsIsRefused() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        assertThat(SluiceConfig.from(groups).loader().target().maxRejectedRows()).isEqualTo(100);
        groups.get("Warehouse").setProperty("max.rejected.rows", "0");
        assertThat(SluiceConfig.from(groups).loader().target().maxRejectedRows()).isZero();

        groups.get("Warehouse").setProperty("max.rejected.rows", "100000");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'max.rejected.rows' must be between 0 and 99999");

        groups.get("Warehouse").setProperty("max.rejected.rows", "10");
        groups.get("Warehouse").setProperty("copy.options", "JSON 'auto' GZIP MAXERROR 5");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("Property group 'Warehouse'")
                .hasMessageContaining("CopyOptions must not contain MAXERROR");
    }

    @Test
    void theRetryWindowIsReadAndKeptWithinZeroToTwoHours() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").setProperty("retry.duration.s", "0");
        groups.get("Warehouse").setProperty("retry.backoff.initial.ms", "250");
        groups.get("Warehouse").setProperty("retry.backoff.max.ms", "5000");
        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.loaderExecution().retryPolicy().retryDuration()).isZero();
        assertThat(config.loaderExecution().retryPolicy().initialBackoff()).hasMillis(250);
        assertThat(config.loaderExecution().retryPolicy().maxBackoff()).hasMillis(5000);

        groups.get("Warehouse").setProperty("retry.duration.s", "7201");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'retry.duration.s' must be between 0 and 7200");

        groups.get("Warehouse").setProperty("retry.duration.s", "60");
        groups.get("Warehouse").setProperty("retry.backoff.max.ms", "100");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'retry.backoff.max.ms' must be between 250 and 600000");
    }

    @Test
    void redshiftUrlsGetTlsAndOnlyAnExplicitOptOutTurnsItOff() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        assertThat(SluiceConfig.from(groups).loader().connectionProvider().toString())
                .contains("TLS on");

        Properties warehouse = groups.get("Warehouse");
        warehouse.setProperty("jdbc.url", warehouse.getProperty("jdbc.url") + "?ssl=false");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("turns TLS off")
                .hasMessageContaining("tls.disable=true");

        warehouse.setProperty("tls.disable", "true");
        assertThat(SluiceConfig.from(groups).loader().connectionProvider().toString())
                .contains("TLS off");
    }

    @Test
    void iamUrlsRefuseAPasswordAndNeedAUserOnlyForProvisionedClusters() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        Properties warehouse = groups.get("Warehouse");
        warehouse.setProperty(
                "jdbc.url",
                "jdbc:redshift:iam://my-cluster.abc123.us-east-1.redshift.amazonaws.com:5439/dev");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("takes no password");

        warehouse.remove("password.secret.arn");
        warehouse.remove("username");
        // A provisioned cluster needs a DbUser (issue 15); a Serverless workgroup does not.
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("needs a database user, sent as DbUser");
        warehouse.setProperty(
                "jdbc.url",
                "jdbc:redshift:iam://wg.123456789012.us-east-1.redshift-serverless.amazonaws.com"
                        + ":5439/dev");
        assertThat(SluiceConfig.from(groups).loader().connectionProvider().toString())
                .contains(
                        "user=null, password=none, statementTimeoutMs=1800000, REDSHIFT_IAM,"
                                + " TLS on");
    }

    @Test
    void anInlinePasswordNeverAppearsInTheConfigOrItsErrors() throws Exception {
        String secret = "inline-S3cret-value";
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        Properties warehouse = groups.get("Warehouse");
        warehouse.remove("password.secret.arn");
        warehouse.setProperty("password", secret);
        assertThat(SluiceConfig.from(groups).loader().toString()).doesNotContain(secret);

        warehouse.setProperty("jdbc.url", warehouse.getProperty("jdbc.url") + "?ssl=false");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(secret));
        warehouse.setProperty("columns", "not a column!");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(secret));
    }

    @Test
    void csvStagingIsCopiedAsCsvAndRefusesJsonCopyOptions() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").remove("copy.options");
        groups.get("S3").setProperty("format", "CSV");

        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.loader().target().stagingFormat().format()).isEqualTo(OutputFormat.CSV);
        assertThat(config.loader().target().copyOptions().text()).isEmpty();

        groups.get("Warehouse").setProperty("copy.options", "JSON 'auto' GZIP");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("say JSON, but the staged files are CSV+GZIP");
    }

    @Test
    void mergeLimitsDefaultToAThousandFilesAndAGibibyteAndAreKeptInRange() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        assertThat(SluiceConfig.from(groups).loaderExecution().mergeLimits())
                .isEqualTo(new MergeLimits(1000, 1024L * 1024 * 1024));

        groups.get("Warehouse").setProperty("merge.max.files", "5");
        groups.get("Warehouse").setProperty("merge.max.mb", "64");
        assertThat(SluiceConfig.from(groups).loaderExecution().mergeLimits())
                .isEqualTo(new MergeLimits(5, 64L * 1024 * 1024));

        groups.get("Warehouse").setProperty("merge.max.files", "0");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'merge.max.files' must be between 1 and 100000");
        groups.get("Warehouse").setProperty("merge.max.files", "5");
        groups.get("Warehouse").setProperty("merge.max.mb", "0");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .hasMessageContaining("'merge.max.mb' must be between 1 and 1048576");
    }

    @Test
    void aPasswordFileIsReadWhereTheLoaderConnectsAndItsContentNeverShown(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path secret = dir.resolve("password");
        java.nio.file.Files.writeString(secret, "s3cr3t-from-file\n");
        FilePassword password = new FilePassword(secret.toString());
        assertThat(password.get()).isEqualTo("s3cr3t-from-file");
        assertThat(password.toString()).doesNotContain("s3cr3t");

        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("Warehouse").remove("password.secret.arn");
        groups.get("Warehouse").setProperty("password.file", secret.toString());
        assertThat(SluiceConfig.from(groups).loader().toString()).doesNotContain("s3cr3t");

        assertThatThrownBy(() -> new FilePassword(dir.resolve("missing").toString()).get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void aPrefixWithATimestampExpressionKeepsManifestsUnderItsFixedPart() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("S3").setProperty("prefix", "/events/dt=!{timestamp:yyyy-MM-dd}/");

        SluiceConfig config = SluiceConfig.from(groups);
        assertThat(config.prefix().root()).isEqualTo("events/");
        assertThat(config.loader().ledger().manifestBasePath())
                .isEqualTo("s3://my-sluice-staging/events/manifests/");
    }

    @Test
    void anUnsafePrefixIsRejected() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.get("S3").setProperty("prefix", "a/../b");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'S3'")
                .hasMessageContaining("'..'");
    }

    @Test
    void aMalformedSecretArnIsRejectedAtStartUp() throws Exception {
        Map<String, Properties> groups =
                ApplicationProperties.fromFile(
                        Path.of("..", "conf", "sluice-redshift.example.json"));
        groups.get("Warehouse").remove("password.secret.arn");
        groups.get("Warehouse").setProperty("password.secret.arn", "not-an-arn");
        assertThatThrownBy(() -> SluiceConfig.from(groups))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("password.secret.arn");

        groups.get("Warehouse").setProperty("password.secret.arn", ARN);
        assertThat(SluiceConfig.from(groups).loader().connectionProvider().toString())
                .contains("password=***");
    }

    private static final String ARN =
            "arn:aws:secretsmanager:eu-central-1:111122223333:secret:redshift/loader-AbCdEf";
}
