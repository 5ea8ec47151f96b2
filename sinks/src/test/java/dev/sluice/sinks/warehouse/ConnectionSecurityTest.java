package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The JDBC properties each kind of URL gets, pinned without a network. */
class ConnectionSecurityTest {

    private static final String HOST = "c.abc.eu-west-1.redshift.amazonaws.com:5439/dev";
    private static final String REDSHIFT = "jdbc:redshift://" + HOST;
    private static final String IAM = "jdbc:redshift:iam://" + HOST;

    @Test
    void redshiftGetsTlsWithCertificateChecksByDefault() {
        assertThat(ConnectionSecurity.of(REDSHIFT, false, true).properties("u", "p"))
                .containsOnly(
                        entry("ssl", "true"),
                        entry("sslmode", "verify-ca"),
                        entry("user", "u"),
                        entry("password", "p"));
    }

    @Test
    void aStricterSslModeInTheUrlIsKept() {
        assertThat(
                        ConnectionSecurity.of(REDSHIFT + "?sslmode=verify-full", false, true)
                                .properties("u", "p"))
                .containsEntry("ssl", "true")
                .doesNotContainKey("sslmode");
    }

    @Test
    void aUrlThatTurnsTlsOffIsRefusedWithoutTheExplicitOptOut() {
        for (String insecure :
                new String[] {"?ssl=false", ";ssl=false", "?sslmode=disable", "?SSLMode=prefer"}) {
            assertThatThrownBy(() -> ConnectionSecurity.of(REDSHIFT + insecure, false, true))
                    .as(insecure)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tls.disable=true");
        }
    }

    @Test
    void theOptOutConnectsWithoutTls() {
        ConnectionSecurity security = ConnectionSecurity.of(REDSHIFT + "?ssl=false", true, true);
        assertThat(security.properties("u", "p"))
                .containsOnly(entry("ssl", "false"), entry("user", "u"), entry("password", "p"));
        assertThat(security).hasToString("REDSHIFT, TLS off");
    }

    @Test
    void iamUrlsTakeNoPasswordSendTheUserAsDbUserAndKeepTls() {
        ConnectionSecurity security = ConnectionSecurity.of(IAM, false, false);
        assertThat(security.iam()).isTrue();
        assertThat(security.userOptional()).isTrue();
        assertThat(security.properties("loader", null))
                .containsOnly(
                        entry("ssl", "true"),
                        entry("sslmode", "verify-ca"),
                        entry("DbUser", "loader"));
        assertThat(security.properties(null, null))
                .containsOnly(entry("ssl", "true"), entry("sslmode", "verify-ca"));
        assertThat(
                        ConnectionSecurity.of(IAM + "?DbUser=admin", false, false)
                                .properties("loader", null))
                .doesNotContainKey("DbUser");
    }

    @Test
    void iamUrlsRefuseAPassword() {
        assertThatThrownBy(() -> ConnectionSecurity.of(IAM, false, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no password");
    }

    @Test
    void theDriversAndTheSdkClassesIamNeedsAreOnTheClassPath() {
        // of(...) checks them; this pins that the job's dependencies provide them.
        for (String className : ConnectionSecurity.IAM_CLASSES.keySet()) {
            assertThat(className).satisfies(ConnectionSecurityTest::loads);
        }
        loads(ConnectionSecurity.REDSHIFT_DRIVER);
        loads(ConnectionSecurity.POSTGRESQL_DRIVER);
    }

    @Test
    void postgresUrlsArePassedOnAndRefuseTheRedshiftOptOut() {
        String url = "jdbc:postgresql://127.0.0.1:5432/db?sslmode=require";
        assertThat(ConnectionSecurity.of(url, false, true).properties("u", "p"))
                .containsOnly(entry("user", "u"), entry("password", "p"));
        assertThatThrownBy(() -> ConnectionSecurity.of(url, true, true))
                .hasMessageContaining("tls.disable applies to jdbc:redshift: URLs only");
    }

    private static void loads(String className) {
        try {
            Class.forName(className, false, ConnectionSecurityTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(className + " is missing", e);
        }
    }

    @Test
    void iamToAProvisionedClusterNeedsAUsernameOrADbUserInTheUrlButServerlessDoesNot() {
        String provisioned =
                "jdbc:redshift:iam://examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev";
        ConnectionSecurity security = ConnectionSecurity.of(provisioned, false, false);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> security.requireDbUser(provisioned, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "IAM authentication to a provisioned Redshift cluster needs a database"
                                + " user, sent as DbUser to GetClusterCredentials");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> security.requireDbUser(provisioned, " "))
                .isInstanceOf(IllegalArgumentException.class);
        security.requireDbUser(provisioned, "loader");
        String withDbUser = provisioned + "?DbUser=loader";
        ConnectionSecurity.of(withDbUser, false, false).requireDbUser(withDbUser, null);
        String serverless =
                "jdbc:redshift:iam://wg.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev";
        ConnectionSecurity.of(serverless, false, false).requireDbUser(serverless, null);
        String password =
                "jdbc:redshift://examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev";
        ConnectionSecurity.of(password, false, true).requireDbUser(password, null);
    }

    @Test
    void aServerlessEndpointUnderAnotherNameNeedsNoUserWhenTheUrlSaysIsServerless() {
        // The driver (2.1.0.33, IamHelper.setIAMProperties) takes any host as Serverless when
        // isServerless=true, e.g. a VPC endpoint's name; it then sends no DbUser.
        String vpcEndpoint =
                "jdbc:redshift:iam://vpce-0abc.example.internal:5439/dev?isServerless=true";
        ConnectionSecurity.of(vpcEndpoint, false, false).requireDbUser(vpcEndpoint, null);
        String notServerless =
                "jdbc:redshift:iam://vpce-0abc.example.internal:5439/dev?isServerless=false";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                ConnectionSecurity.of(notServerless, false, false)
                                        .requireDbUser(notServerless, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
