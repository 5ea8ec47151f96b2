package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.TransformResult;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Projection, renaming, masking, hashing and metadata: the built-ins that rewrite JSON. */
class FieldTransformsTest {

    private static final String EVENT =
            "{\"event_id\":\"e1\",\"email\":\"ada@example.com\",\"age\":36,\"phone\":null}";

    @Test
    void projectionKeepsOnlyTheListedFieldsUnderTheirNewNames() {
        ProjectFieldsTransform project =
                new ProjectFieldsTransform(FieldMapping.parseList("event_id:id, age, missing"));

        assertThat(out(project.transform(TestRecords.json(EVENT))))
                .isEqualTo("{\"id\":\"e1\",\"age\":36}");
    }

    @Test
    void renamingKeepsEveryOtherField() {
        RenameFieldsTransform rename =
                new RenameFieldsTransform(FieldMapping.parseList("email:contact"));

        assertThat(out(rename.transform(TestRecords.json("{\"email\":\"x\",\"b\":1}"))))
                .isEqualTo("{\"b\":1,\"contact\":\"x\"}");
    }

    @Test
    void maskingReplacesValuesButLeavesNullAndMissingFieldsAlone() {
        MaskFieldsTransform mask =
                new MaskFieldsTransform(List.of("email", "phone", "absent"), "****");

        assertThat(out(mask.transform(TestRecords.json(EVENT))))
                .isEqualTo("{\"event_id\":\"e1\",\"email\":\"****\",\"age\":36,\"phone\":null}");
    }

    @Test
    void hashingIsSaltedSha256InHex() {
        HashFieldsTransform hash = new HashFieldsTransform(List.of("email", "age"), "pepper");

        String out = out(hash.transform(TestRecords.json(EVENT)));

        // echo -n 'pepperada@example.com' | sha256sum
        assertThat(out).contains("\"email\":\"" + sha256("pepperada@example.com") + "\"");
        assertThat(out).contains("\"age\":\"" + sha256("pepper36") + "\"");
        assertThat(out).doesNotContain("ada@example.com");
    }

    @Test
    void aDifferentSaltGivesADifferentHashAndTheSaltIsNeverPrinted() {
        HashFieldsTransform a = new HashFieldsTransform(List.of("email"), "salt-a");
        HashFieldsTransform b = new HashFieldsTransform(List.of("email"), "salt-b");

        assertThat(a.hash("x")).isNotEqualTo(b.hash("x"));
        assertThat(a.toString()).doesNotContain("salt-a");
    }

    @Test
    void hashingWithoutASaltIsRefused() {
        assertThatThrownBy(() -> new HashFieldsTransform(List.of("email"), ""))
                .hasMessageContaining("salt");
    }

    @Test
    void metadataFieldsLandInThePayload() {
        AddMetadataTransform metadata =
                AddMetadataTransform.parse(AddMetadataTransform.DEFAULT_FIELDS);

        String out = out(metadata.transform(TestRecords.json("{\"a\":1}")));

        assertThat(out)
                .isEqualTo(
                        "{\"a\":1,\"kinesis_shard_id\":\"shardId-000000000001\","
                                + "\"kinesis_sequence_number\":\"4960000000000001\","
                                + "\"kinesis_partition_key\":\"user-7\","
                                + "\"kinesis_arrival_time\":\"2024-05-01T12:00:00Z\"}");
    }

    @Test
    void anUnknownMetadataFieldIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> AddMetadataTransform.parse("shard"))
                .hasMessageContaining("unknown metadata field 'shard'")
                .hasMessageContaining("shardId");
    }

    @Test
    void aRewritingBuiltInFailsARecordThatIsNotJson() {
        SluiceRecord notJson = TestRecords.json("not json");

        assertThat(
                        JsonValidationTransformTest.code(
                                new MaskFieldsTransform(List.of("a"), "*").transform(notJson)))
                .isEqualTo(ErrorCodes.INVALID_JSON);
    }

    private static String out(TransformResult result) {
        assertThat(result).isInstanceOf(TransformResult.Ok.class);
        return new String(((TransformResult.Ok) result).data(), StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
