package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadIdTest {

    private static final StagedFile A = new StagedFile("s3://b/data/part-0-0.gz", 10);
    private static final StagedFile B = new StagedFile("s3://b/data/part-1-0.gz", 20);
    private static final StagedFile C = new StagedFile("s3://b/data/part-2-0.gz", 30);

    @Test
    void sameFilesInAnyOrderGiveTheSameIdEvenAfterARestoreWithANewJobId() {
        assertThat(LoadId.forFiles(List.of(A, B, C)))
                .isEqualTo(LoadId.forFiles(List.of(C, A, B)))
                .isEqualTo(LoadId.forFiles(List.of(B, C, A, B)));
    }

    @Test
    void differentSetsOfFilesGiveDifferentIds() {
        assertThat(LoadId.forFiles(List.of(A, B))).isNotEqualTo(LoadId.forFiles(List.of(A, B, C)));
        assertThat(LoadId.forFiles(List.of(A))).isNotEqualTo(LoadId.forFiles(List.of(B)));
    }

    @Test
    void urlBoundariesCannotBeShiftedToForgeTheSameId() {
        assertThat(LoadId.forUrls(List.of("s3://b/ab", "s3://b/c")))
                .isNotEqualTo(LoadId.forUrls(List.of("s3://b/a", "bs3://b/c")));
    }

    @Test
    void idIsTheHexSha256OfTheLengthPrefixedSortedUrls() {
        // sha256(int32be(8) "s3://b/a" int32be(8) "s3://b/x"), computed independently
        assertThat(LoadId.forUrls(List.of("s3://b/x", "s3://b/a")).value())
                .isEqualTo("be2b380012a076b01e017c707150e4b1d3ad415a75e411f1294b7a87604443f8");
    }

    @Test
    void anEmptyLoadHasNoId() {
        assertThatThrownBy(() -> LoadId.forFiles(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A load needs at least one file");
    }
}
