package dev.sluice.sinks.s3;

import org.junit.jupiter.api.Test;

import java.time.Instant;

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
    void unsupportedNamespacesAreNamed() {
        assertThatThrownBy(() -> PrefixTemplate.parse("x/!{partitionKeyFromQuery:customer}/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("!{partitionKeyFromQuery:…}");
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
}
