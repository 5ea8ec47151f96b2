package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyOptionsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "JSON 'auto' GZIP TIMEFORMAT 'auto'",
                "json 'auto ignorecase' gzip",
                "FORMAT AS JSON 's3://bucket/jsonpaths.json' GZIP",
                "CSV QUOTE AS '\"' DELIMITER ',' IGNOREHEADER 1 NULL AS '\\N'",
                "DELIMITER '\\t' ACCEPTINVCHARS AS '^' COMPUPDATE OFF",
                "TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' DATEFORMAT 'auto' REGION 'us-east-1'",
                "PARQUET SERIALIZETOJSON",
                "JSON 'auto' ROUNDEC TRUNCATECOLUMNS EMPTYASNULL BLANKSASNULL",
                "NULL AS 'it''s null'",
                ""
            })
    void optionsFirehoseUsersWriteAreKeptVerbatim(String options) {
        assertThat(CopyOptions.parse("  " + options + " ").text()).isEqualTo(options);
    }

    @Test
    void maxErrorIsRefusedBecauseTheLoaderSetsItFromTheRejectedRowBudget() {
        assertThatThrownBy(() -> CopyOptions.parse("JSON 'auto' GZIP maxerror 10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "CopyOptions must not contain MAXERROR: the loader sets it from the"
                                + " rejected-row budget (Warehouse max.rejected.rows), so that"
                                + " it reads back and writes out every row the COPY rejects");
    }

    @Test
    void jsonArgumentAndKeywordsAreRead() {
        CopyOptions options = CopyOptions.parse("json 'auto ignorecase' Gzip");

        assertThat(options.jsonArgument()).isEqualTo("auto ignorecase");
        assertThat(options.hasKeyword("GZIP")).isTrue();
        assertThat(options.hasKeyword("EMPTYASNULL")).isFalse();
        assertThat(CopyOptions.parse("GZIP").jsonArgument()).isNull();
        assertThat(CopyOptions.parse("NULL AS 'json'").jsonArgument()).isNull();
    }

    @Test
    void aSemicolonCannotEndTheCopyAndStartAnotherStatement() {
        assertThatThrownBy(() -> CopyOptions.parse("JSON 'auto'; DROP TABLE users"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "CopyOptions may only contain words, numbers, '…' literals, commas and"
                                + " parentheses; found \";\" at position 12 of \"JSON 'auto';"
                                + " DROP TABLE users\"");
    }

    @Test
    void commentsOutsideLiteralsAreRejected() {
        assertThatThrownBy(() -> CopyOptions.parse("GZIP -- rest"))
                .hasMessageContaining("found \"-\" at position 6");
        assertThatThrownBy(() -> CopyOptions.parse("GZIP /* x */"))
                .hasMessageContaining("found \"/\" at position 6");
    }

    @Test
    void anUnclosedQuoteIsRejected() {
        assertThatThrownBy(() -> CopyOptions.parse("JSON 'auto GZIP"))
                .hasMessage(
                        "CopyOptions has a quote at position 6 that is never closed: \"JSON 'auto"
                                + " GZIP\"");
    }

    @Test
    void aBackslashBeforeAQuoteIsRejectedBecauseServersReadItDifferently() {
        assertThatThrownBy(() -> CopyOptions.parse("NULL AS 'a\\' ; DROP TABLE x; --'"))
                .hasMessageStartingWith(
                        "CopyOptions has a backslash before a quote at position 11");
    }

    @Test
    void clausesTheLoaderWritesAndInlineCredentialsAreRejected() {
        assertThatThrownBy(() -> CopyOptions.parse("MANIFEST JSON 'auto'"))
                .hasMessageStartingWith("CopyOptions must not contain MANIFEST");
        assertThatThrownBy(() -> CopyOptions.parse("iam_role 'arn:aws:iam::1:role/x'"))
                .hasMessageStartingWith("CopyOptions must not contain IAM_ROLE");
        assertThatThrownBy(
                        () ->
                                CopyOptions.parse(
                                        "CREDENTIALS"
                                                + " 'aws_access_key_id=AKIA;aws_secret_access_key=s'"))
                .hasMessageStartingWith("CopyOptions must not contain CREDENTIALS");
    }
}
