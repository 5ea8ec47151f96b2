package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestTest {

    @Test
    void jsonHasRedshiftsShapeWithMandatoryEntriesAndContentLengthSortedByUrl() {
        Manifest manifest =
                Manifest.of(
                        List.of(
                                new StagedFile("s3://bucket/data/part-1-0.gz", 456),
                                new StagedFile("s3://bucket/data/part-0-0.gz", 123)));

        assertThat(manifest.toJson())
                .isEqualTo(
                        "{\"entries\":["
                                + "{\"url\":\"s3://bucket/data/part-0-0.gz\",\"mandatory\":true,"
                                + "\"meta\":{\"content_length\":123}},"
                                + "{\"url\":\"s3://bucket/data/part-1-0.gz\",\"mandatory\":true,"
                                + "\"meta\":{\"content_length\":456}}]}");
    }

    @Test
    void sameFilesGiveByteIdenticalManifests() {
        StagedFile a = new StagedFile("s3://b/a", 1);
        StagedFile b = new StagedFile("s3://b/b", 2);

        assertThat(Manifest.of(List.of(a, b)).toJsonBytes())
                .isEqualTo(Manifest.of(List.of(b, a)).toJsonBytes());
    }

    @Test
    void urlsWithQuotesAndUnicodeAreEscapedAndParseBack() {
        Manifest manifest =
                Manifest.of(
                        List.of(new StagedFile("s3://b/we\"ird key/ünï\\x.gz", 9_000_000_000L)));

        assertThat(manifest.toJson()).contains("\"s3://b/we\\\"ird key/ünï\\\\x.gz\"");
        assertThat(Manifest.parse(manifest.toJson())).isEqualTo(manifest);
        assertThat(Manifest.parse(manifest.toJson()).files())
                .containsExactly(new StagedFile("s3://b/we\"ird key/ünï\\x.gz", 9_000_000_000L));
    }

    @Test
    void parseAcceptsRedshiftsOptionalMandatoryFlag() {
        Manifest manifest =
                Manifest.parse(
                        "{\"entries\":[{\"url\":\"s3://b/a\",\"meta\":{\"content_length\":5}}]}");

        assertThat(manifest.entries()).containsExactly(new Manifest.Entry("s3://b/a", false, 5));
    }

    @Test
    void parseRejectsWhatIsNotAManifestWithAClearMessage() {
        assertThatThrownBy(() -> Manifest.parse("{\"entries\":"))
                .hasMessageStartingWith("Not a manifest: invalid JSON");
        assertThatThrownBy(() -> Manifest.parse("[]"))
                .hasMessage("Not a manifest: no \"entries\" array");
        assertThatThrownBy(() -> Manifest.parse("{\"entries\":[{\"mandatory\":true}]}"))
                .hasMessage("manifest entry #0 has no \"url\" string");
        assertThatThrownBy(() -> Manifest.parse("{\"entries\":[{\"url\":\"s3://b/a\"}]}"))
                .hasMessage("manifest entry #0 has no integer \"meta\".\"content_length\"");
    }
}
