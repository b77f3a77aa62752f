package io.herald.push;

import java.util.List;
import java.util.UUID;

/**
 * A browser's push subscription as the sender needs it: where to push (the push service's
 * endpoint), the browser's keys for RFC 8291 encryption, and what it follows.
 *
 * @param id Herald's id of the subscription
 * @param subject the identity (token subject) that registered it
 * @param endpoint the push service URL, matched by herald.push.allowed-endpoints
 * @param p256dh the browser's P-256 public key, base64url of the uncompressed point
 * @param auth the browser's 16-byte authentication secret, base64url
 * @param filters the MQTT topic filters whose messages are pushed to it
 */
public record PushSubscription(UUID id, String subject, String endpoint, String p256dh, String auth,
		List<String> filters) {

	public PushSubscription {
		filters = List.copyOf(filters);
	}

}
