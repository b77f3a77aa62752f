package io.herald.push.send;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what the browser's service worker reads from a push: UTF-8 JSON {@code {"topic":
 * ..., "payload": ..., "truncated": ...}}, no longer than one record holds.
 * <p>
 * A payload that does not fit is cut at a character boundary and marked
 * {@code "truncated": true}, so the browser still shows something and knows to fetch the
 * rest (from the feed's history) rather than the message silently disappearing: a push
 * service would refuse a larger body with 413.
 */
final class PushPlaintext {

	private final JsonMapper json;

	private final int limit;

	/**
	 * Write JSON of at most {@code limit} bytes.
	 * @param json writes the JSON
	 * @param limit the most bytes of JSON a push may carry
	 */
	PushPlaintext(JsonMapper json, int limit) {
		this.json = json;
		this.limit = limit;
	}

	/**
	 * The JSON for this message, its payload cut to fit if need be.
	 * @throws IllegalArgumentException if the topic alone is too long for a push
	 */
	byte[] of(PushMessage message) {
		String text = new String(message.payload(), StandardCharsets.UTF_8);
		byte[] whole = write(message.topic(), text, false);
		if (whole.length <= this.limit) {
			return whole;
		}
		// The JSON grows with the prefix (each character adds 1 to 6 bytes): search the
		// longest prefix that fits, no longer than the limit in characters.
		int low = 0;
		int high = Math.min(text.length(), this.limit);
		byte @Nullable [] best = null;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			byte[] candidate = write(message.topic(), text.substring(0, boundary(text, middle)), true);
			if (candidate.length <= this.limit) {
				best = candidate;
				low = middle + 1;
			}
			else {
				high = middle - 1;
			}
		}
		if (best == null) {
			throw new IllegalArgumentException("The topic of " + message.topic().length()
					+ " characters leaves no room for a payload in a push message");
		}
		return best;
	}

	/**
	 * The largest index at or below {@code index} that does not split a surrogate pair.
	 */
	private static int boundary(String text, int index) {
		if (index > 0 && index < text.length() && Character.isHighSurrogate(text.charAt(index - 1))
				&& Character.isLowSurrogate(text.charAt(index))) {
			return index - 1;
		}
		return index;
	}

	private byte[] write(String topic, String payload, boolean truncated) {
		return this.json.writeValueAsBytes(new Notification(topic, payload, truncated));
	}

	/** The JSON's shape. */
	record Notification(String topic, String payload, boolean truncated) {
	}

}
