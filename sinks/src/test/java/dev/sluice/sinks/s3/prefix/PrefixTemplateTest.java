package dev.sluice.sinks.s3.prefix;

import dev.sluice.operators.record.SluiceRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixTemplateTest {

    private static final long AT = Instant.parse("2026-11-22T06:05:09.123Z").toEpochMilli();

    @Test
    void aPlainPrefixGetsFirehosesHourlyLayout() {
        PrefixTemplate template = PrefixTemplate.parse("redshift-staging/user-events");

        assertThat(template.root()).isEqualTo("redshift-staging/user-events/");
        assertThat(template.render(AT)).isEqualTo("redshift-staging/user-events/2026/11/22/06/");
        assertThat(template.renderBucket(AT)).isEqualTo("2026/11/22/06/");
    }

    @Test
    void anEmptyPrefixPutsTheHoursAtTheTopOfTheBucket() {
        PrefixTemplate template = PrefixTemplate.parse("");

        assertThat(template.root()).isEmpty();
        assertThat(template.render(AT)).isEqualTo("2026/11/22/06/");
    }

    @Test
    void timestampExpressionsRenderInUtcAndReplaceTheDefaultLayout() {
        PrefixTemplate template =
                PrefixTemplate.parse("events/year=!{timestamp:yyyy}/day=!{timestamp:MM-dd}/");

        assertThat(template.render(AT)).isEqualTo("events/year=2026/day=11-22/");
        assertThat(template.root()).isEqualTo("events/");
        assertThat(template.renderBucket(AT)).isEqualTo("year=2026/day=11-22/");
    }

    @Test
    void theRootEndsAtTheLastSlashBeforeTheFirstExpression() {
        PrefixTemplate template = PrefixTemplate.parse("a/b/dt=!{timestamp:yyyyMMdd}/");

        assertThat(template.root()).isEqualTo("a/b/");
        assertThat(template.renderBucket(AT)).isEqualTo("dt=20261122/");
    }

    @Test
    void aLeadingSlashIsDropped() {
        assertThat(PrefixTemplate.parse("/x/").render(AT)).isEqualTo("x/2026/11/22/06/");
    }

    @Test
    void unsupportedNamespacesAreNamedWithWhatIsSupported() {
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{customer:id}/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("!{customer:…}")
                .hasMessageContaining("!{partitionKeyFromQuery:<field>}")
                .hasMessageContaining("!{partitionKeyFromLambda:<key>}");
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{firehose:error-output-type}/"))
                .hasMessageContaining("!{firehose:…}")
                .hasMessageContaining("error prefixes are chosen by Sluice");
    }

    @Test
    void invalidPatternsAndUnsafeCharactersAreRejected() {
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{timestamp:yyyy-MM-dd'T'HH:mm}/"))
                .hasMessageContaining("invalid timestamp pattern");
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{timestamp:qqqqqqq}/"))
                .hasMessageContaining("invalid timestamp pattern");
        assertThatThrownBy(() -> PrefixTemplate.parse("x y/"))
                .hasMessageContaining("may hold only");
        assertThatThrownBy(() -> PrefixTemplate.parse("x//y/")).hasMessageContaining("'//'");
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{timestamp:yyyy/"))
                .hasMessageContaining("malformed");
    }

    @Test
    void timestampsRenderTheArrivalTimeByDefaultAndTheEventTimeOnRequest() throws Exception {
        SluiceRecord record = record("{}");
        record.setEventTimestamp(Instant.parse("2026-11-20T23:59:59Z").toEpochMilli());
        PrefixTemplate arrival = PrefixTemplate.parse("t/!{timestamp:yyyy-MM-dd/HH}/");
        PrefixTemplate event = arrival.withTimeSource(PrefixTimeSource.EVENT);

        assertThat(arrival.timeSource()).isEqualTo(PrefixTimeSource.ARRIVAL);
        assertThat(arrival.renderBucket(record)).isEqualTo("2026-11-22/06/");
        assertThat(event.renderBucket(record)).isEqualTo("2026-11-20/23/");
        assertThat(event.root()).isEqualTo("t/");
    }

    @Test
    void queryKeysReadTopLevelAndNestedScalarFields() throws Exception {
        PrefixTemplate template =
                PrefixTemplate.parse(
                        "lake/type=!{partitionKeyFromQuery:event_type}"
                                + "/c=!{partitionKeyFromQuery:customer.id}"
                                + "/vip=!{partitionKeyFromQuery:customer.vip}/");
        SluiceRecord record =
                record("{\"event_type\":\"click\",\"customer\":{\"id\":42,\"vip\":true}}");

        assertThat(template.hasPartitionKeys()).isTrue();
        assertThat(template.root()).isEqualTo("lake/");
        assertThat(template.renderBucket(record)).isEqualTo("type=click/c=42/vip=true/");
    }

    @Test
    void lambdaKeysReadTheTransformsPartitionKeys() throws Exception {
        PrefixTemplate template =
                PrefixTemplate.parse(
                        "!{partitionKeyFromLambda:tenant}/!{timestamp:yyyy}/"
                                + "!{partitionKeyFromLambda:region.name}/");
        SluiceRecord record = record("not json at all");
        record.setPartitionKeys(Map.of("tenant", "acme", "region.name", "eu-west-1"));

        assertThat(template.root()).isEmpty();
        assertThat(template.renderBucket(record)).isEqualTo("acme/2026/eu-west-1/");
    }

    @Test
    void hostileValuesArePercentEncodedAndStayInsideTheirSegment() throws Exception {
        PrefixTemplate template = PrefixTemplate.parse("p/k=!{partitionKeyFromLambda:k}/");
        Map<String, String> expected =
                Map.of(
                        "../x", "%2E.%2Fx",
                        "a/b", "a%2Fb",
                        "..", "%2E.",
                        ".hidden", "%2Ehidden",
                        "100%", "100%25",
                        "%2F", "%252F",
                        "a b=c&d", "a%20b%3Dc%26d",
                        "é", "%C3%A9",
                        "x\ny", "x%0Ay",
                        "v1.2_ok-3", "v1.2_ok-3");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            SluiceRecord record = record("{}");
            record.setPartitionKeys(Map.of("k", e.getKey()));
            String rendered = template.renderBucket(record);

            assertThat(rendered).as(e.getKey()).isEqualTo("k=" + e.getValue() + "/");
            assertThat(rendered.chars().filter(c -> c == '/').count()).isEqualTo(1);
        }
    }

    @Test
    void aValueThatWouldMakeTheKeyTooLongIsAPartitioningFailure() {
        PrefixTemplate template = PrefixTemplate.parse("p/!{partitionKeyFromLambda:k}/");
        SluiceRecord record = record("{}");
        record.setPartitionKeys(Map.of("k", "/".repeat(400)));

        assertThatThrownBy(() -> template.renderBucket(record))
                .isInstanceOf(PartitioningException.class)
                .hasMessageContaining("at most " + PrefixTemplate.MAX_RENDERED_LENGTH);
    }

    @Test
    void unusableQueryValuesFailWithTheKeyNamedAndNothingOfThePayload() {
        PrefixTemplate template = PrefixTemplate.parse("p/!{partitionKeyFromQuery:a.b}/");
        Map<String, String> problems =
                Map.of(
                        "{\"a\":{\"c\":\"secret\"}}", "has no field 'a.b'",
                        "{\"a\":\"secret\"}", "has no field 'a.b'",
                        "{\"a\":{\"b\":null}}", "field 'a.b' is null",
                        "{\"a\":{\"b\":\"\"}}", "field 'a.b' is an empty string",
                        "{\"a\":{\"b\":{\"secret\":1}}}", "field 'a.b' is an object",
                        "{\"a\":{\"b\":[\"secret\"]}}", "field 'a.b' is an array",
                        "secret", "the payload is not a JSON object",
                        "[\"secret\"]", "the payload is not a JSON object",
                        "{\"a\":{\"b\":1}} secret", "the payload is not a JSON object",
                        "", "the payload is not a JSON object");
        for (Map.Entry<String, String> p : problems.entrySet()) {
            assertThatThrownBy(() -> template.renderBucket(record(p.getKey())))
                    .as(p.getKey())
                    .isInstanceOfSatisfying(
                            PartitioningException.class,
                            e ->
                                    assertThat(e.errorCode())
                                            .isEqualTo(
                                                    PartitioningException
                                                            .METADATA_EXTRACTION_FAILED))
                    .hasMessageStartingWith("!{partitionKeyFromQuery:a.b}: ")
                    .hasMessageContaining(p.getValue())
                    .hasMessageNotContaining("secret");
        }
    }

    @Test
    void missingOrEmptyLambdaKeysFailWithTheKeyNamed() {
        PrefixTemplate template = PrefixTemplate.parse("p/!{partitionKeyFromLambda:tenant}/");
        SluiceRecord none = record("{\"tenant\":\"acme\"}");
        SluiceRecord empty = record("{}");
        empty.setPartitionKeys(Map.of("tenant", ""));

        assertThatThrownBy(() -> template.renderBucket(none))
                .isInstanceOf(PartitioningException.class)
                .hasMessage(
                        "!{partitionKeyFromLambda:tenant}: the transform set no partition key"
                                + " 'tenant'");
        assertThatThrownBy(() -> template.renderBucket(empty))
                .hasMessageContaining("partition key 'tenant' is empty");
    }

    @Test
    void queriesTakeFieldPathsNotJq() {
        for (String jq : new String[] {".a", "a[0]", "a | b", "a..b", "a.", "", "a b"}) {
            assertThatThrownBy(() -> PrefixTemplate.parse("x/!{partitionKeyFromQuery:" + jq + "}/"))
                    .as(jq)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("JSON field path")
                    .hasMessageContaining("not a JQ expression");
        }
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{partitionKeyFromLambda:a/b}/"))
                .hasMessageContaining("a partition key name holds");
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{partitionKeyFromLambda:}/"))
                .hasMessageContaining("a partition key name holds");
    }

    @Test
    void aPartitionedPrefixCannotBeRenderedWithoutARecord() {
        PrefixTemplate template = PrefixTemplate.parse("x/!{partitionKeyFromLambda:k}/");

        assertThatThrownBy(() -> template.renderBucket(AT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("!{partitionKeyFromLambda:k}");
    }

    /**
     * A timestamp expression reuses its last rendering while the time stays within the pattern's
     * finest field; this walks times across and right at the boundaries of every field, in both
     * directions, and holds each rendering to a fresh {@code java.time} formatter's.
     */
    @Test
    void reusedTimestampRenderingsMatchAFreshFormatterAcrossEveryBoundary() {
        String[] patterns = {
            "yyyy/MM/dd/HH",
            "yyyyMMdd",
            "HH",
            "hh-a",
            "kk",
            "mm",
            "ss",
            "SSS",
            "yyyy-MM-dd-HH-mm-ss",
            "YYYY-'W'ww-e",
            "EEE",
            "D",
            "'HH'-dd",
            "A",
            "n",
            "uuuu-QQQ"
        };
        long[] steps = {
            1, 999, 1_000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999, 86_400_000
        };
        Random random = new Random(1202);
        for (String pattern : patterns) {
            PrefixTemplate template = PrefixTemplate.parse("t=!{timestamp:" + pattern + "}/");
            DateTimeFormatter fresh = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
            long at = AT - 3 * 86_400_000L;
            for (int i = 0; i < 3_000; i++) {
                long step = steps[random.nextInt(steps.length)];
                at += random.nextInt(4) == 0 ? -step : step;
                assertThat(template.renderBucket(at))
                        .as("%s at %d", pattern, at)
                        .isEqualTo("t=" + fresh.format(Instant.ofEpochMilli(at)) + "/");
            }
        }
    }

    @Test
    void aTimestampPatternStaysTheSameForItsFinestField() {
        assertThat(PrefixExpression.Timestamp.unchangedWithinMillis("yyyy/MM/dd"))
                .isEqualTo(86_400_000L);
        assertThat(PrefixExpression.Timestamp.unchangedWithinMillis("yyyy/MM/dd/HH"))
                .isEqualTo(3_600_000L);
        assertThat(PrefixExpression.Timestamp.unchangedWithinMillis("HH:mm")).isEqualTo(60_000L);
        assertThat(PrefixExpression.Timestamp.unchangedWithinMillis("'mm'-HH"))
                .isEqualTo(3_600_000L);
        assertThat(PrefixExpression.Timestamp.unchangedWithinMillis("ss.SSS")).isEqualTo(1L);
        assertThat(PrefixExpression.Timestamp.unchangedWithinMillis("B")).isEqualTo(1L);
    }

    private static SluiceRecord record(String payload) {
        return new SluiceRecord(
                payload.getBytes(StandardCharsets.UTF_8), "s", "shard-1", "pk", "1", AT);
    }
}
