package dev.sluice.job.cli;

import dev.sluice.job.config.SluiceConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class FirehoseImportTest {

    private static final String DESTINATION =
            "{\n"
                    + "  \"RoleARN\": \"arn:aws:iam::111122223333:role/LoaderRole\",\n"
                    + "  \"ClusterJDBCURL\":"
                    + " \"jdbc:redshift://wh.abc.eu-west-1.redshift.amazonaws.com:5439/dw\",\n"
                    + "  \"CopyCommand\": {\n"
                    + "    \"DataTableName\": \"analytics.clicks\",\n"
                    + "    \"DataTableColumns\": \"id,ts,url\",\n"
                    + "    \"CopyOptions\": \"json 'auto' TIMEFORMAT 'auto' BLANKSASNULL\"\n"
                    + "  },\n"
                    + "  \"Username\": \"loader\",\n"
                    + "  \"Password\": \"do-not-copy-me\",\n"
                    + "  \"S3Configuration\": {\n"
                    + "    \"RoleARN\": \"arn:aws:iam::111122223333:role/LoaderRole\",\n"
                    + "    \"BucketARN\": \"arn:aws:s3:::clicks-staging\",\n"
                    + "    \"Prefix\": \"clicks/\",\n"
                    + "    \"ErrorOutputPrefix\": \"clicks-errors/\",\n"
                    + "    \"BufferingHints\": {\"SizeInMBs\": 64, \"IntervalInSeconds\": 120},\n"
                    + "    \"CompressionFormat\": \"UNCOMPRESSED\"\n"
                    + "  },\n"
                    + "  \"ProcessingConfiguration\": {\"Enabled\": true, \"Processors\": []},\n"
                    + "  \"S3BackupMode\": \"Enabled\",\n"
                    + "  \"RetryOptions\": {\"DurationInSeconds\": 1800}\n"
                    + "}";

    @Test
    void aRedshiftDestinationBecomesWarehouseS3AndJobGroupsThatValidate() throws Exception {
        FirehoseImport.Result result = FirehoseImport.fromJson(DESTINATION);

        Properties warehouse = result.groups().get("Warehouse");
        assertThat(warehouse)
                .containsEntry("dialect", "redshift")
                .containsEntry(
                        "jdbc.url",
                        "jdbc:redshift://wh.abc.eu-west-1.redshift.amazonaws.com:5439/dw")
                .containsEntry("username", "loader")
                .containsEntry("table", "analytics.clicks")
                .containsEntry("columns", "id,ts,url")
                .containsEntry("copy.options", "json 'auto' TIMEFORMAT 'auto' BLANKSASNULL GZIP")
                .containsEntry("iam.role", "arn:aws:iam::111122223333:role/LoaderRole")
                .containsEntry("retry.duration.s", "1800")
                .containsEntry("password.env", FirehoseImport.PASSWORD_ENV);
        assertThat(result.groups().get("S3"))
                .containsEntry("bucket", "clicks-staging")
                .containsEntry("prefix", "clicks/")
                .containsEntry("buffering.interval.s", "120")
                .containsEntry("buffering.size.mb", "64")
                .containsEntry("backup.mode", "ALL");
        assertThat(result.groups().get("KinesisSource")).containsEntry("aws.region", "eu-west-1");

        SluiceConfig config = SluiceConfig.from(result.groups());
        assertThat(config.loader().target().table().toString()).isEqualTo("analytics.clicks");
    }

    @Test
    void whatHasNoEquivalentIsSaidAndThePasswordIsNeverCopied() throws Exception {
        FirehoseImport.Result result = FirehoseImport.fromJson(DESTINATION);

        assertThat(String.join("\n", result.notes()))
                .contains("ErrorOutputPrefix")
                .contains("BufferingHints")
                .contains("Lambda")
                .contains("S3BackupMode")
                .contains("stream.name")
                .contains("Password: not copied");
        assertThat(result.groups().toString()).doesNotContain("do-not-copy-me");
    }

    @Test
    void theCommandPrintsTheGroupsAndTheNotes(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("firehose.json");
        Files.writeString(input, "{\"RedshiftDestinationConfiguration\": " + DESTINATION + "}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status =
                ImportFirehoseCommand.run(
                        new String[] {input.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"PropertyGroupId\" : \"Warehouse\"")
                .doesNotContain("do-not-copy-me");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Notes");
    }

    @Test
    void aSecretsManagerConfigurationBecomesPasswordSecretArn() throws Exception {
        String arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:loader-AbC";
        String withSecret =
                DESTINATION.replace(
                        "\"Password\": \"do-not-copy-me\",",
                        "\"SecretsManagerConfiguration\": {\"Enabled\": true, \"SecretARN\": \""
                                + arn
                                + "\"},");
        FirehoseImport.Result result = FirehoseImport.fromJson(withSecret);
        assertThat(result.groups().get("Warehouse"))
                .containsEntry("password.secret.arn", arn)
                .doesNotContainKey("password.env");
        SluiceConfig.from(result.groups());
    }

    @Test
    void timestampExpressionsInThePrefixAreKeptAndOthersCutOff() {
        assertThat(FirehoseImport.firstUnsupportedExpression("a/!{timestamp:yyyy}/b/"))
                .isEqualTo(-1);
        assertThat(
                        FirehoseImport.firstUnsupportedExpression(
                                "a/!{timestamp:yyyy}/!{partitionKeyFromQuery:k}/"))
                .isEqualTo(20);
    }

    @Test
    void aStreamArnGivesTheStreamNameAndRegion() throws Exception {
        String request =
                "{\"KinesisStreamSourceConfiguration\": {\"KinesisStreamARN\":"
                        + " \"arn:aws:kinesis:us-west-2:111122223333:stream/clicks\"},"
                        + " \"RedshiftDestinationConfiguration\": "
                        + DESTINATION
                        + "}";
        FirehoseImport.Result result = FirehoseImport.fromJson(request);
        assertThat(result.groups().get("KinesisSource"))
                .containsEntry("stream.name", "clicks")
                .containsEntry("aws.region", "us-west-2");
    }
}
