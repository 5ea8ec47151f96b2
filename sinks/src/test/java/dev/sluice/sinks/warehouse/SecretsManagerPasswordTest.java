package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of reading a password from Secrets Manager that need no AWS. */
class SecretsManagerPasswordTest {

    private static final String ARN =
            "arn:aws:secretsmanager:eu-central-1:111122223333:secret:redshift/loader-AbCdEf";

    @Test
    void aJsonSecretGivesItsPasswordKey() {
        assertThat(
                        SecretsManagerPassword.passwordFrom(
                                "{\"username\":\"loader\",\"password\":\"pa55\",\"engine\":\"redshift\"}",
                                ARN))
                .isEqualTo("pa55");
    }

    @Test
    void aPlainSecretIsThePasswordItself() {
        assertThat(SecretsManagerPassword.passwordFrom("  pa55\n", ARN)).isEqualTo("pa55");
    }

    @Test
    void aJsonSecretWithoutAPasswordIsAnErrorThatDoesNotQuoteTheSecret() {
        assertThatThrownBy(() -> SecretsManagerPassword.passwordFrom("{\"pwd\":\"leak-me\"}", ARN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ARN)
                .hasMessageNotContaining("leak-me");
        assertThatThrownBy(() -> SecretsManagerPassword.passwordFrom("{not json leak-me", ARN))
                .hasMessageNotContaining("leak-me");
    }

    @Test
    void theRegionComesFromTheArn() {
        assertThat(SecretsManagerPassword.region(ARN)).isEqualTo("eu-central-1");
    }
}
