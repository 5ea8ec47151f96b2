package dev.sluice.job.config;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.time.EventTimeFormat;
import dev.sluice.operators.transform.ChainedTransform;
import dev.sluice.operators.transform.ExceptionPolicy;
import dev.sluice.operators.transform.KeyedStep;
import dev.sluice.operators.transform.LateRecordPolicy;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.builtin.DedupTransform;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformConfigTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");

    private static Map<String, Properties> groups(String group, String... keyValues)
            throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        // Start every case from the defaults, whatever the example chooses.
        groups.remove(TransformOptions.GROUP);
        groups.remove(EventTimeOptions.GROUP);
        Properties p = groups.computeIfAbsent(group, g -> new Properties());
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return groups;
    }

    @Test
    void theDefaultChainValidatesSizeAndJsonAndFailsRecordsInsteadOfTheJob() throws Exception {
        SluiceConfig config = SluiceConfig.from(groups("Transform"));

        assertThat(config.transform().steps()).containsExactly("max-size", "json");
        assertThat(config.transform().onException()).isEqualTo(ExceptionPolicy.PROCESSING_FAILED);
        assertThat(config.eventTime().extractor()).isNull();
        assertThat(config.eventTime().lateRecords()).isEqualTo(LateRecordPolicy.DELIVER);
        assertThat(config.consumerProperties()).containsEntry("flink.shard.idle.interval", "60000");
    }

    @Test
    void aUserClassIsAppendedToTheChainAndRuns() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(
                        groups(
                                "Transform",
                                "class",
                                "dev.sluice.operators.transform.example.EnrichAndMaskTransform",
                                "chain",
                                "json, mask",
                                "mask.fields",
                                "user_agent"));

        assertThat(config.transform().steps()).containsExactly("json", "mask", "user");
        TransformResult result =
                config.transform()
                        .transform()
                        .transform(record("{\"event_type\":\"click\",\"user_agent\":\"curl\"}"));
        assertThat(new String(((TransformResult.Ok) result).data(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"event_type\":\"click\",\"user_agent\":\"****\",\"device\":\"desktop\"}");
    }

    @Test
    void aMissingUserClassFailsAtStartUpWithItsName() throws Exception {
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups("Transform", "class", "com.example.Missing")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'Transform'")
                .hasMessageContaining("com.example.Missing");
    }

    @Test
    void aKeyForAStepThatIsNotChainedIsRejected() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(groups("Transform", "mask.fields", "email")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(
                        "sets 'mask.fields' but the chain [max-size, json] has no 'mask' step");
    }

    @Test
    void anUnknownStepIsRejectedWithTheKnownOnes() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(groups("Transform", "chain", "json,lambda")))
                .hasMessageContaining("unknown step 'lambda'");
    }

    @Test
    void hashingNeedsExactlyOneSaltAndNeverEchoesIt() throws Exception {
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups(
                                                "Transform",
                                                "chain",
                                                "hash",
                                                "hash.fields",
                                                "email")))
                .hasMessageContaining("exactly one of 'hash.salt.env' and 'hash.salt'");
        SluiceConfig config =
                SluiceConfig.from(
                        groups(
                                "Transform",
                                "chain",
                                "hash",
                                "hash.fields",
                                "email",
                                "hash.salt",
                                "s3cr3t-salt"));
        assertThat(config.transform().transform().toString()).doesNotContain("s3cr3t-salt");
    }

    @Test
    void anOversizeLimitAboveTenMebibytesIsRejected() throws Exception {
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups("Transform", "max.record.bytes", "10485761")))
                .hasMessageContaining("'max.record.bytes' must be between 1 and 10485760");
    }

    @Test
    void aLimitOfTenMebibytesPassesA10MiBRecordAndFailsOneByteMore() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(
                        groups("Transform", "chain", "max-size", "max.record.bytes", "10485760"));
        assertThat(config.transform().transform().transform(record("x".repeat(10_485_760))))
                .isInstanceOf(TransformResult.Ok.class);
        assertThat(config.transform().transform().transform(record("x".repeat(10_485_761))))
                .isInstanceOf(TransformResult.ProcessingFailed.class);
    }

    @Test
    void eventTimeSettingsAreRead() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(
                        groups(
                                "EventTime",
                                "field",
                                "event_timestamp",
                                "format",
                                "ISO_8601",
                                "max.out.of.orderness.ms",
                                "1000",
                                "idle.shard.timeout.ms",
                                "0",
                                "late.records",
                                "ERRORS"));

        assertThat(config.eventTime().extractor().field()).isEqualTo("event_timestamp");
        assertThat(config.eventTime().extractor().format()).isEqualTo(EventTimeFormat.ISO_8601);
        assertThat(config.eventTime().maxOutOfOrdernessMs()).isEqualTo(1000);
        assertThat(config.eventTime().lateRecords()).isEqualTo(LateRecordPolicy.ERRORS);
        assertThat(config.consumerProperties()).doesNotContainKey("flink.shard.idle.interval");
    }

    @Test
    void theConnectorsIdleKeyIsRefusedInFavourOfTheEventTimeKey() throws Exception {
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups("KinesisSource", "flink.shard.idle.interval", "5")))
                .hasMessageContaining("idle.shard.timeout.ms");
    }

    @Test
    void dedupKeysTheStageByItsFieldWithTheDocumentedDefaults() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(
                        groups("Transform", "chain", "json,dedup", "dedup.key.field", "event_id"));

        assertThat(config.transform().steps()).containsExactly("json", "dedup");
        assertThat(config.transform().keyed()).isTrue();
        assertThat(config.transform().key().missingKey())
                .isEqualTo(MissingKeyPolicy.PROCESSING_FAILED);
        assertThat(config.transform().key().getKey(record("{\"event_id\":\"e1\"}")))
                .isEqualTo("ke1");
        DedupTransform dedup =
                (DedupTransform)
                        ((KeyedStep)
                                        ((ChainedTransform) config.transform().transform())
                                                .steps()
                                                .get(1))
                                .delegate();
        assertThat(dedup.ttl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void dedupWithoutAKeyFieldKeysByPartitionKeyAndPayloadHash() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(groups("Transform", "chain", "dedup", "dedup.ttl", "7 d"));

        assertThat(config.transform().key().toString()).contains("partition key + payload SHA-256");
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups(
                                                "Transform",
                                                "chain",
                                                "dedup",
                                                "dedup.missing.key",
                                                "PASS")))
                .hasMessageContaining("'dedup.missing.key' needs 'dedup.key.field'");
    }

    @Test
    void aDedupTtlOutsideOneMinuteToSevenDaysIsRejected() throws Exception {
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups("Transform", "chain", "dedup", "dedup.ttl", "30 s")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'dedup.ttl' must be between 1 min and 7 d");
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups("Transform", "chain", "dedup", "dedup.ttl", "8 d")))
                .hasMessageContaining("'dedup.ttl' must be between 1 min and 7 d");
    }

    @Test
    void aKeyedUserClassNeedsExactlyOneKeyAndIsTheLastStep() throws Exception {
        String keyed = FirstPerKeyTransform.class.getName();
        SluiceConfig config =
                SluiceConfig.from(groups("Transform", "class", keyed, "key.field", "user.id"));
        assertThat(config.transform().keyed()).isTrue();
        assertThat(config.transform().key().getKey(record("{\"user\":{\"id\":7}}")))
                .isEqualTo("k7");

        assertThatThrownBy(() -> SluiceConfig.from(groups("Transform", "class", keyed)))
                .hasMessageContaining("exactly one of 'key.field' and 'key.selector'");
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups(
                                                "Transform",
                                                "class",
                                                keyed,
                                                "key.field",
                                                "u",
                                                "chain",
                                                "user,json")))
                .hasMessageContaining("must be the last step");
        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        groups(
                                                "Transform",
                                                "class",
                                                "dev.sluice.operators.transform.example.EnrichAndMaskTransform",
                                                "key.field",
                                                "u")))
                .hasMessageContaining("'class' is not one");
    }

    @Test
    void dedupWithAKeyedUserClassSharesTheUserKeyAndRemembersItsOwnKeyWithinIt() throws Exception {
        SluiceConfig config =
                SluiceConfig.from(
                        keyedWithDedup("user_id", "dedup", "dedup.key.field", "event_id"));

        assertThat(config.transform().steps()).containsExactly("dedup", "user");
        assertThat(
                        config.transform()
                                .key()
                                .getKey(record("{\"user_id\":\"u1\",\"event_id\":\"e\"}")))
                .as("one keyBy, by the user's key")
                .isEqualTo("ku1");
        assertThat(dedupStep(config).toString()).contains("within the stage key");

        SluiceConfig sameField =
                SluiceConfig.from(
                        keyedWithDedup("event_id", "dedup", "dedup.key.field", "event_id"));
        assertThat(dedupStep(sameField).toString())
                .as("the stage key is the dedup key: plain per-key state")
                .doesNotContain("within");

        assertThatThrownBy(
                        () ->
                                SluiceConfig.from(
                                        keyedWithDedup(
                                                "event_id",
                                                "dedup",
                                                "dedup.key.field",
                                                "event_id",
                                                "dedup.missing.key",
                                                "PASS")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'dedup.missing.key' does not apply");
        assertThatThrownBy(() -> SluiceConfig.from(keyedWithDedup("u", "user,dedup")))
                .hasMessageContaining("must be the last step");
    }

    /**
     * A Transform group: the keyed test class keyed by {@code keyField}, this chain, these keys.
     */
    private static Map<String, Properties> keyedWithDedup(
            String keyField, String chain, String... more) throws Exception {
        List<String> keyValues =
                new ArrayList<>(
                        List.of(
                                "class",
                                FirstPerKeyTransform.class.getName(),
                                "key.field",
                                keyField,
                                "chain",
                                chain));
        keyValues.addAll(List.of(more));
        return groups("Transform", keyValues.toArray(String[]::new));
    }

    private static DedupTransform dedupStep(SluiceConfig config) {
        return (DedupTransform)
                ((KeyedStep) ((ChainedTransform) config.transform().transform()).steps().get(0))
                        .delegate();
    }

    @Test
    void withoutDedupOrAKeyTheStageIsNotKeyed() throws Exception {
        assertThat(SluiceConfig.from(groups("Transform")).transform().keyed()).isFalse();
    }

    private static SluiceRecord record(String json) {
        return new SluiceRecord(json.getBytes(StandardCharsets.UTF_8), "s", "shard", "pk", "1", 0L);
    }
}
