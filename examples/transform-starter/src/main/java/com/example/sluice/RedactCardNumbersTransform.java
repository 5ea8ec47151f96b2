package com.example.sluice;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A starter transform with all three outcomes and no library but Sluice's API:
 *
 * <ul>
 *   <li>a blank payload is Dropped (counted, not delivered);
 *   <li>a payload that is not UTF-8 is ProcessingFailed {@code Payload.NotUtf8} (it lands in the
 *       errors prefix, raw bytes included, for someone to look at);
 *   <li>otherwise Ok, with every run of 13 to 19 digits (a payment card number, possibly
 *       separated by spaces or dashes) replaced by {@code ****} and its last four digits.
 * </ul>
 *
 * <p>Configure it with {@code Transform class=com.example.sluice.RedactCardNumbersTransform}.
 * Sluice creates one instance per parallel subtask with the public no-argument constructor; it
 * need not be thread-safe, and must be serializable (no fields that are not).
 */
public class RedactCardNumbersTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    public static final String NOT_UTF8 = "Payload.NotUtf8";

    private static final Pattern CARD = Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b");

    @Override
    public TransformResult transform(SluiceRecord record) {
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(record.getData()))
                            .toString();
        } catch (CharacterCodingException e) {
            return TransformResult.processingFailed(NOT_UTF8, "the payload is not valid UTF-8");
        }
        if (text.isBlank()) {
            return TransformResult.dropped();
        }
        Matcher card = CARD.matcher(text);
        StringBuilder redacted = new StringBuilder();
        while (card.find()) {
            String digits = card.group().replaceAll("[ -]", "");
            card.appendReplacement(redacted, "****" + digits.substring(digits.length() - 4));
        }
        card.appendTail(redacted);
        return TransformResult.ok(redacted.toString().getBytes(StandardCharsets.UTF_8));
    }
}
