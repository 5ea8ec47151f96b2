package dev.sluice.localstack;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.UUID;

/**
 * Generates clickstream events shaped like the {@code user_events} table Firehose tutorials load:
 * event_id, user_id, event_type, page_url, event_timestamp (ISO-8601), user_agent.
 *
 * <p>Event ids are random UUIDs from a seeded generator, so a run can check that every produced id
 * arrived exactly once.
 */
public final class DemoEvents implements Iterator<DemoEvents.Event> {

    /** One generated event: its id, the Kinesis partition key and the JSON payload. */
    public record Event(String eventId, String partitionKey, byte[] json) {}

    public static final String TABLE = "public.user_events";

    public static final String COLUMNS =
            "event_id,user_id,event_type,page_url,event_timestamp,user_agent";

    /** The table the demo loads into, as the Firehose tutorials create it (PostgreSQL types). */
    public static String createTableSql(String table) {
        return "CREATE TABLE IF NOT EXISTS "
                + table
                + " ("
                + " event_id VARCHAR(64),"
                + " user_id VARCHAR(64),"
                + " event_type VARCHAR(32),"
                + " page_url VARCHAR(512),"
                + " event_timestamp TIMESTAMP,"
                + " user_agent VARCHAR(512),"
                + " loaded_at TIMESTAMP DEFAULT now())";
    }

    private static final String[] TYPES = {
        "page_view", "click", "add_to_cart", "purchase", "signup"
    };
    private static final String[] PAGES = {"/", "/products", "/products/42", "/cart", "/checkout"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"
    };

    private final int count;
    private final Random random;
    private final long startMillis;
    private int produced;

    public DemoEvents(int count, long seed) {
        this.count = count;
        this.random = new Random(seed);
        this.startMillis = Instant.now().toEpochMilli();
    }

    @Override
    public boolean hasNext() {
        return produced < count;
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        produced++;
        String eventId = new UUID(random.nextLong(), random.nextLong()).toString();
        String userId = "user-" + random.nextInt(10_000);
        String json =
                "{\"event_id\":\""
                        + eventId
                        + "\",\"user_id\":\""
                        + userId
                        + "\",\"event_type\":\""
                        + TYPES[random.nextInt(TYPES.length)]
                        + "\",\"page_url\":\"https://shop.example.com"
                        + PAGES[random.nextInt(PAGES.length)]
                        + "\",\"event_timestamp\":\""
                        + Instant.ofEpochMilli(startMillis + produced)
                        + "\",\"user_agent\":\""
                        + AGENTS[random.nextInt(AGENTS.length)]
                        + "\"}";
        return new Event(eventId, userId, json.getBytes(StandardCharsets.UTF_8));
    }
}
