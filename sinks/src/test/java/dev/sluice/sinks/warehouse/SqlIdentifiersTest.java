package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlIdentifiersTest {

    @Test
    void plainNamesAreFoldedToLowerCaseAndDoubleQuoted() {
        assertThat(SqlIdentifiers.table("target table", "Analytics.Events").quoted())
                .isEqualTo("\"analytics\".\"events\"");
        assertThat(SqlIdentifiers.table("target table", "events").quoted()).isEqualTo("\"events\"");
        assertThat(SqlIdentifiers.table("target table", " s . t ").toString()).isEqualTo("s.t");
        assertThat(SqlIdentifiers.identifier("column", "_User$1")).isEqualTo("_user$1");
    }

    @Test
    void reservedWordsAreSafeBecauseTheyAreQuoted() {
        List<String> columns =
                SqlIdentifiers.columns("column", List.of("user", "timestamp", "select"));

        assertThat(SqlIdentifiers.quoteAll(columns)).isEqualTo("\"user\",\"timestamp\",\"select\"");
    }

    @Test
    void statementInjectionInATableNameIsRejectedNamingItsRole() {
        assertThatThrownBy(() -> SqlIdentifiers.table("target table", "users; drop table x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "The target table \"users; drop table x\" is not a plain SQL identifier:"
                                + " it must start with a letter or underscore and contain only"
                                + " letters, digits, underscores and dollar signs");
    }

    @Test
    void aDoubleQuoteInAColumnIsRejectedAndShownEscaped() {
        assertThatThrownBy(() -> SqlIdentifiers.columns("column", List.of("a", "a\"b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The column #2 \"a\\\"b\" is not a plain SQL identifier");
    }

    @Test
    void emptyNamesAreRejected() {
        assertThatThrownBy(() -> SqlIdentifiers.table("target table", ""))
                .hasMessage("The target table must not be empty");
        assertThatThrownBy(() -> SqlIdentifiers.table("target table", "s."))
                .hasMessage("The target table must not be empty");
        assertThatThrownBy(() -> SqlIdentifiers.columns("column", List.of("a", "", "b")))
                .hasMessage("The column #2 must not be empty");
        assertThatThrownBy(() -> SqlIdentifiers.identifier("ledger schema", null))
                .hasMessage("The ledger schema must be set");
    }

    @Test
    void namesLongerThan127BytesAreRejectedWithTheirLength() {
        String tooLong = "a".repeat(128);

        assertThat(SqlIdentifiers.identifier("column", "a".repeat(127))).hasSize(127);
        assertThatThrownBy(() -> SqlIdentifiers.identifier("column", tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The column \"" + "a".repeat(80) + "\"… (128 characters)")
                .hasMessageEndingWith("is 128 bytes long; identifiers may have at most 127");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1abc",
                "a b",
                "a-b",
                "a.b.c",
                "\"quoted\"",
                "a;b",
                "a'b",
                "tab\tle",
                "ünï",
                "a--",
                "a/*b*/"
            })
    void anythingButAPlainIdentifierIsRejected(String hostile) {
        assertThatThrownBy(() -> SqlIdentifiers.table("target table", hostile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target table");
    }

    @Test
    void duplicateColumnsAreRejectedAfterFolding() {
        assertThatThrownBy(() -> SqlIdentifiers.columns("column", List.of("id", "ID")))
                .hasMessage("The column name \"id\" appears more than once");
    }

    @Test
    void describedValuesCannotForgeLogLines() {
        assertThat(SqlIdentifiers.describe("a\nERROR fake\r\u0000\u2028\\\""))
                .isEqualTo("\"a\\nERROR fake\\r\\u0000\\u2028\\\\\\\"\"");
    }
}
