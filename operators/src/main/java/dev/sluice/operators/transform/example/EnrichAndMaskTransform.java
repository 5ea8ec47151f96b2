package dev.sluice.operators.transform.example;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * An example user transform, the kind a Firehose user would have written as a Lambda: it enriches
 * click events and masks an e-mail address, and shows all three outcomes.
 *
 * <ul>
 *   <li>no {@code event_type} → ProcessingFailed {@code Event.MissingType} (the event is useless
 *       without it, and someone should look at it);
 *   <li>a crawler's user agent → Dropped (not a user; counted, not delivered);
 *   <li>otherwise Ok: adds {@code device} ({@code mobile}/{@code desktop}) from the user agent,
 *       masks {@code email} to {@code ***@domain}, and sets partition key {@code event_type}.
 * </ul>
 *
 * <p>Configure it with {@code Transform
 * class=dev.sluice.operators.transform.example.EnrichAndMaskTransform} and, typically, {@code
 * chain=max-size,json,user} so it only ever sees JSON objects. It throws on a payload that is not
 * JSON; with the default {@code on.exception} that is a ProcessingFailed too.
 */
public class EnrichAndMaskTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    public static final String MISSING_TYPE = "Event.MissingType";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public TransformResult transform(SluiceRecord record) throws Exception {
        JsonNode parsed = MAPPER.readTree(record.getData());
        if (!(parsed instanceof ObjectNode event)) {
            return TransformResult.processingFailed("Event.NotAnObject", "expected a JSON object");
        }
        String type = event.path("event_type").asText("");
        if (type.isEmpty()) {
            return TransformResult.processingFailed(MISSING_TYPE, "event_type is missing or empty");
        }
        String agent = event.path("user_agent").asText("").toLowerCase(Locale.ROOT);
        if (agent.contains("bot") || agent.contains("crawler")) {
            return TransformResult.dropped();
        }
        event.put(
                "device",
                agent.contains("mobile") || agent.contains("iphone") ? "mobile" : "desktop");
        JsonNode email = event.get("email");
        if (email != null && email.isTextual()) {
            String value = email.textValue();
            int at = value.indexOf('@');
            event.put("email", at < 0 ? "***" : "***" + value.substring(at));
        }
        return TransformResult.ok(
                MAPPER.writeValueAsString(event).getBytes(StandardCharsets.UTF_8),
                Map.of("event_type", type));
    }
}
