package dev.sluice.job.preflight;

import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.sinks.warehouse.LoadLedger;
import dev.sluice.sinks.warehouse.WarehouseAccess;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the warehouse takes the credentials, and whether a load could go through there ({@link
 * WarehouseAccess}): connects with the loader's own connection provider, so the password source,
 * TLS, IAM and the statement timeout are the loader's.
 */
final class WarehouseCheck {

    private WarehouseCheck() {}

    /**
     * @param passwordKey the {@code Warehouse} key the password comes from ({@code password},
     *     {@code password.env}, …; {@code username} for IAM), for the line a refused login prints
     */
    static List<CheckResult> check(WarehouseLoaderConfig loader, String passwordKey) {
        List<CheckResult> results = new ArrayList<>();
        String table = loader.target().table().toString();
        Connection connection;
        try {
            connection = loader.connectionProvider().open();
        } catch (SQLException e) {
            results.add(refused(e, passwordKey));
            return results;
        }
        try (connection) {
            results.add(CheckResult.ok("warehouse accepts the credentials"));
            LoadLedger ledger =
                    new LoadLedger(loader.ledger().ledgerSchema(), loader.target().dialect());
            List<WarehouseAccess.Finding> findings =
                    new WarehouseAccess(loader.target(), ledger).check(connection);
            boolean tableOk = true;
            boolean columns = true;
            boolean insert = true;
            boolean ledgerOk = true;
            for (WarehouseAccess.Finding finding : findings) {
                switch (finding.subject()) {
                    case TABLE -> {
                        tableOk = false;
                        results.add(fail(WarehouseOptions.TABLE.key(), finding));
                    }
                    case COLUMNS -> {
                        columns = false;
                        results.add(fail(WarehouseOptions.COLUMNS.key(), finding));
                    }
                    case INSERT_PRIVILEGE -> {
                        insert = false;
                        results.add(fail(WarehouseOptions.USERNAME.key(), finding));
                    }
                    case LEDGER -> {
                        ledgerOk = false;
                        results.add(fail(WarehouseOptions.LEDGER_SCHEMA.key(), finding));
                    }
                }
            }
            if (tableOk && columns) {
                results.add(
                        CheckResult.ok(
                                "table "
                                        + table
                                        + " has every configured column"
                                        + (loader.target().columns().isEmpty()
                                                ? " (none configured)"
                                                : " (" + loader.target().columns().size() + ")")));
            }
            if (tableOk && insert) {
                results.add(CheckResult.ok("this user may COPY into " + table + " (INSERT)"));
            }
            if (ledgerOk) {
                results.add(
                        CheckResult.ok(
                                "this user may write the ledger in schema "
                                        + loader.ledger().ledgerSchema()));
            }
        } catch (SQLException e) {
            results.add(
                    CheckResult.fail(
                            WarehouseOptions.GROUP,
                            WarehouseOptions.JDBC_URL.key(),
                            "the warehouse failed a catalog query ("
                                    + e.getSQLState()
                                    + "): "
                                    + e.getMessage(),
                            "check that the URL names the right database"));
        }
        return results;
    }

    private static CheckResult fail(String key, WarehouseAccess.Finding finding) {
        return CheckResult.fail(WarehouseOptions.GROUP, key, finding.problem(), finding.remedy());
    }

    /** A failed connect: refused credentials, an unknown database, or no way through. */
    private static CheckResult refused(SQLException e, String passwordKey) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = "(" + (state.isEmpty() ? "no SQLState" : state) + ") " + e.getMessage();
        if (state.startsWith("28")) {
            return CheckResult.fail(
                    WarehouseOptions.GROUP,
                    passwordKey,
                    "the warehouse refused the credentials " + reason,
                    "check the username and the password this key gives");
        }
        if (state.equals("3D000")) {
            return CheckResult.fail(
                    WarehouseOptions.GROUP,
                    WarehouseOptions.JDBC_URL.key(),
                    "the database does not exist " + reason,
                    "fix the database name in the URL");
        }
        return CheckResult.fail(
                WarehouseOptions.GROUP,
                WarehouseOptions.JDBC_URL.key(),
                "cannot connect to the warehouse " + reason,
                "check the host, port, TLS setting and the network path to it");
    }
}
