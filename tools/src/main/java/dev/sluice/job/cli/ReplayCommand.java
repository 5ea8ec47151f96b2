package dev.sluice.job.cli;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.InvalidConfigurationException;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.sinks.warehouse.FailedLoadReplayer;
import dev.sluice.sinks.warehouse.LoadResult;
import dev.sluice.sinks.warehouse.WarehouseLoader;

import org.apache.flink.core.fs.FileSystem;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./sluice replay --config FILE [--manifest URL]... [--all]}: loads the manifests the job
 * left in {@code errors/load-failed/} because their load gave up, exactly once, through the same
 * ledger as the job, and says what it loaded.
 *
 * <p>Without {@code --manifest} or {@code --all} it only lists the load-failed manifests. It reads
 * the job's own configuration file, so the table, columns, COPY options, ledger schema and S3
 * settings are the job's; run it with the job running or stopped, as often as needed.
 *
 * <p>Exit status: 0 when everything asked for is loaded (or already was), 1 when a load failed, 2
 * for a usage or configuration error.
 */
public final class ReplayCommand {

    static final String USAGE =
            "usage: ./sluice replay --config FILE [--manifest s3://…/<load-id>.manifest]... [--all]";

    private ReplayCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String configFile = null;
        List<String> manifests = new ArrayList<>();
        boolean all = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config":
                        configFile = value(args, ++i);
                        break;
                    case "--manifest":
                        manifests.add(value(args, ++i));
                        break;
                    case "--all":
                        all = true;
                        break;
                    case "-h":
                    case "--help":
                        out.println(USAGE);
                        return 0;
                    default:
                        err.println("replay: unknown argument '" + args[i] + "'");
                        err.println(USAGE);
                        return 2;
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (configFile == null || (all && !manifests.isEmpty())) {
            err.println(USAGE);
            return 2;
        }
        SluiceConfig config;
        try {
            config = SluiceConfig.from(ApplicationProperties.fromFile(Path.of(configFile)));
            FileSystem.initialize(config.s3FileSystem(), null);
        } catch (InvalidConfigurationException e) {
            err.println("replay: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("replay: cannot read " + configFile + ": " + e.getMessage());
            return 2;
        }
        FailedLoadReplayer replayer = new FailedLoadReplayer(new WarehouseLoader(config.loader()));
        String current = null;
        try {
            if (manifests.isEmpty()) {
                List<String> found = replayer.list();
                out.printf(
                        "%d load-failed manifest(s) under %s%n",
                        found.size(), config.loader().ledger().failedLoadBasePath());
                if (!all) {
                    found.forEach(out::println);
                    if (!found.isEmpty()) {
                        out.println("pass --all to load them, or --manifest URL for one");
                    }
                    return 0;
                }
                manifests = found;
            }
            long rows = 0;
            int loaded = 0;
            for (String manifest : manifests) {
                current = manifest;
                LoadResult result = replayer.replay(manifest).result();
                if (result.loaded()) {
                    loaded++;
                    rows += result.rows();
                    out.printf(
                            "loaded   %s: %d rows from %d file(s); %d file(s) were already"
                                    + " loaded%n",
                            manifest,
                            result.rows(),
                            result.files().size(),
                            result.skippedFiles().size());
                } else {
                    out.printf(
                            "skipped  %s: all %d file(s) were already loaded%n",
                            manifest, result.skippedFiles().size());
                }
            }
            out.printf(
                    "replayed %d manifest(s) into %s: %d loaded, %d rows%n",
                    manifests.size(), config.loader().target().table(), loaded, rows);
            return 0;
        } catch (Exception e) {
            err.println(
                    "replay: "
                            + (current == null ? "" : current + ": ")
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage());
            err.println("nothing of that manifest was loaded; fix the cause and run again");
            return 1;
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
