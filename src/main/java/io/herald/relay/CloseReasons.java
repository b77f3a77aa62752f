package io.herald.relay;

import java.nio.charset.StandardCharsets;

/**
 * Fits a WebSocket close reason into the 123 UTF-8 bytes a close frame leaves for it.
 */
final class CloseReasons {

	private static final int MAX_BYTES = 123;

	private CloseReasons() {
	}

	static String fit(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= MAX_BYTES) {
			return text;
		}
		String cut = new String(bytes, 0, MAX_BYTES - 3, StandardCharsets.UTF_8);
		// A multi-byte character cut in half decodes to U+FFFD: drop it.
		return cut.replace("\uFFFD", "") + "...";
	}

}
