package dev.sluice.job.preflight;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.WarehouseOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Checks, before anything runs, that the services a configuration names are there and let the job
 * in: the stream can be read, the staging bucket written, the warehouse accepts the credentials,
 * and a load could go through (table, columns, INSERT, ledger). Each check is one {@link
 * CheckResult}; nothing is created or left behind but a probe object that is deleted again.
 *
 * <p>{@code ./sluice check} prints the results. Flink's S3 file system must be initialised by the
 * caller (as the job's start does) so the bucket is reached as the job reaches it.
 */
public final class Preflight {

    private static final Pattern SECRET_KEY =
            Pattern.compile(
                    "(?i)(^|[._-])(password|secretkey|secret-key|secret\\.key|sessiontoken"
                            + "|session-token|session\\.token)$");

    private Preflight() {}

    /** Runs every check, in the order the data flows. */
    public static List<CheckResult> run(Map<String, Properties> groups, SluiceConfig config) {
        List<CheckResult> results = new ArrayList<>();
        results.add(StreamCheck.check(config.streamName(), config.consumerProperties()));
        results.add(BucketCheck.check(config.bucket(), config.staging().rootUri()));
        results.addAll(WarehouseCheck.check(config.loader(), passwordKey(groups)));
        return results;
    }

    /** Whether every result is ok. */
    public static boolean passed(List<CheckResult> results) {
        return results.stream().allMatch(CheckResult::ok);
    }

    /** The {@code Warehouse} key the password comes from; {@code username} when none (IAM). */
    static String passwordKey(Map<String, Properties> groups) {
        Properties warehouse = groups.getOrDefault(WarehouseOptions.GROUP, new Properties());
        for (String key :
                List.of(
                        WarehouseOptions.PASSWORD.key(),
                        WarehouseOptions.PASSWORD_ENV.key(),
                        WarehouseOptions.PASSWORD_FILE.key(),
                        WarehouseOptions.PASSWORD_SECRET_ARN.key())) {
            if (warehouse.containsKey(key)) {
                return key;
            }
        }
        return WarehouseOptions.USERNAME.key();
    }

    /** Keys whose values are secrets; their values never reach a printed line. */
    public static List<String> secretValues(Map<String, Properties> groups) {
        List<String> secrets = new ArrayList<>();
        groups.forEach(
                (group, properties) ->
                        properties.forEach(
                                (key, value) -> {
                                    String k = String.valueOf(key);
                                    String v = String.valueOf(value);
                                    if (SECRET_KEY.matcher(k).find() && v.length() >= 3) {
                                        secrets.add(v);
                                    }
                                }));
        return secrets;
    }
}
