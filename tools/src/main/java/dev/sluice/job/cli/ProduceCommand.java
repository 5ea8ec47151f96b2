package dev.sluice.job.cli;

import dev.sluice.job.local.InputRecords;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisProducer;
import dev.sluice.localstack.ProducerRecord;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * {@code ./sluice produce --stream NAME (--records N | --input FILE) [flags]}: puts generated click
 * events (the demo's {@code user_events}) or the records of a file into a Kinesis data stream with
 * {@link KinesisProducer} — PutRecords batches of at most 500 records and 5 MiB, failed entries
 * re-sent with jittered exponential backoff — optionally paced to a number of records per second,
 * printing a progress line every second.
 *
 * <p>Region and credentials come from the AWS SDK's default chains (environment, system properties,
 * profile, container or instance role); {@code --region} overrides the region and {@code
 * --endpoint} points the client at an emulator (then CBOR is switched off, which kinesalite needs,
 * and the region defaults to {@code us-east-1}). Credentials are never taken on the command line.
 *
 * <p>Exit status: 0 when every record is stored, 1 when some could not be (after the retries), 2
 * for a usage error or unreadable input.
 */
public final class ProduceCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./sluice produce --stream NAME (--records N | --input FILE)",
                    "                        [--rate RECORDS_PER_SECOND] [--seed 1]"
                            + " [--max-attempts 10]",
                    "                        [--region REGION] [--endpoint http://127.0.0.1:4567]",
                    "  --records N      generated click events (event_id, user_id, event_type, …)",
                    "  --input FILE     one record per line, or b64:<base64> for raw bytes",
                    "  --rate N         at most N records per second (default: no limit)",
                    "  credentials: the AWS default chain (e.g. AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY)");

    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;
    private static final String EMULATOR_REGION = "us-east-1";
    private static final String CBOR_PROPERTY = "aws.cborEnabled";

    private ProduceCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The parsed command line. */
    record Options(
            String stream,
            Integer records,
            Path input,
            double rate,
            long seed,
            int maxAttempts,
            String region,
            String endpoint) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("produce: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Iterator<ProducerRecord> records;
        int total;
        if (options.input() != null) {
            List<byte[]> lines;
            try {
                lines = InputRecords.read(options.input());
            } catch (RuntimeException e) {
                err.println("produce: " + options.input() + ": " + e.getMessage());
                return 2;
            }
            total = lines.size();
            records = fileRecords(lines);
        } else {
            total = options.records();
            records = generated(total, options.seed());
        }
        try (KinesisClient client = client(options)) {
            Reporter reporter = new Reporter(total, err);
            KinesisProducer producer =
                    KinesisProducer.builder(client)
                            .maxAttempts(options.maxAttempts())
                            .recordsPerSecond(options.rate())
                            .progress(reporter)
                            .build();
            try {
                producer.putAll(options.stream(), records);
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("produce: " + e.getMessage());
                out.println(reporter.summary(producer.stored(), producer.retries()));
                return 1;
            } catch (RuntimeException e) {
                // SDK errors (no such stream, no credentials, …) carry a one-line message.
                err.println("produce: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                out.println(reporter.summary(producer.stored(), producer.retries()));
                return 1;
            }
            out.println(reporter.summary(producer.stored(), producer.retries()));
            return 0;
        }
    }

    static Options parse(String[] args) {
        String stream = null;
        Integer records = null;
        Path input = null;
        double rate = KinesisProducer.DEFAULT_RECORDS_PER_SECOND;
        long seed = 1L;
        int maxAttempts = KinesisProducer.DEFAULT_MAX_ATTEMPTS;
        String region = null;
        String endpoint = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown flag or missing value: " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--stream" -> stream = value;
                case "--records" -> records = positive(flag, value);
                case "--input" -> input = Path.of(value);
                case "--rate" -> rate = number(flag, value);
                case "--seed" -> seed = (long) number(flag, value);
                case "--max-attempts" -> maxAttempts = positive(flag, value);
                case "--region" -> region = value;
                case "--endpoint" -> endpoint = value;
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("--stream is required");
        }
        if ((records == null) == (input == null)) {
            throw new IllegalArgumentException("give exactly one of --records and --input");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be at least 0 (0: no limit)");
        }
        return new Options(stream, records, input, rate, seed, maxAttempts, region, endpoint);
    }

    private static int positive(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a whole number of at least 1");
    }

    private static double number(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number");
        }
    }

    private static KinesisClient client(Options options) {
        KinesisClientBuilder builder =
                KinesisClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (options.endpoint() != null) {
            // kinesalite answers JSON only; SDK 2.20 has no per-client switch for CBOR.
            if (System.getProperty(CBOR_PROPERTY) == null) {
                System.setProperty(CBOR_PROPERTY, "false");
            }
            builder.endpointOverride(URI.create(options.endpoint()));
            builder.region(
                    Region.of(options.region() != null ? options.region() : EMULATOR_REGION));
        } else if (options.region() != null) {
            builder.region(Region.of(options.region()));
        }
        return builder.build();
    }

    private static Iterator<ProducerRecord> generated(int count, long seed) {
        DemoEvents events = new DemoEvents(count, seed);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return events.hasNext();
            }

            @Override
            public ProducerRecord next() {
                DemoEvents.Event event = events.next();
                return new ProducerRecord(event.partitionKey(), event.json());
            }
        };
    }

    /** File records get keys {@code record-<n>}, which spread evenly over the shards. */
    private static Iterator<ProducerRecord> fileRecords(List<byte[]> lines) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < lines.size();
            }

            @Override
            public ProducerRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] data = lines.get(next);
                return new ProducerRecord("record-" + next++, data);
            }
        };
    }

    /** Prints a progress line at most once a second, and the summary line. */
    static final class Reporter implements KinesisProducer.Progress {
        private final int total;
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long lastPrint = start;

        Reporter(int total, PrintStream err) {
            this.total = total;
            this.err = err;
        }

        @Override
        public void update(long stored, long retries) {
            long now = System.nanoTime();
            if (now - lastPrint >= PROGRESS_INTERVAL_NANOS) {
                lastPrint = now;
                err.println(
                        String.format(
                                Locale.ROOT,
                                "[produce] %d/%d records sent, %.0f records/s, %d retries",
                                stored,
                                total,
                                rate(stored, now),
                                retries));
            }
        }

        String summary(long stored, long retries) {
            long now = System.nanoTime();
            return String.format(
                    Locale.ROOT,
                    "SLUICE PRODUCE sent=%d of=%d retries=%d seconds=%.1f rate=%.0f/s",
                    stored,
                    total,
                    retries,
                    (now - start) / 1e9,
                    rate(stored, now));
        }

        private double rate(long stored, long now) {
            double seconds = Math.max((now - start) / 1e9, 1e-3);
            return stored / seconds;
        }
    }
}
