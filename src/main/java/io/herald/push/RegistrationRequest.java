package io.herald.push;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/push/subscriptions}: the browser's
 * {@code PushSubscription.toJSON()} and the topic filters to push.
 *
 * @param subscription the browser's push subscription
 * @param filters MQTT topic filters whose messages are pushed to it
 */
record RegistrationRequest(@Nullable BrowserSubscription subscription, @Nullable List<@Nullable String> filters) {

	/**
	 * A browser's push subscription, as {@code PushSubscription.toJSON()} writes it.
	 *
	 * @param endpoint the push service URL
	 * @param expirationTime when the push service ends the subscription, if it says
	 * (ignored)
	 * @param keys the browser's keys
	 */
	record BrowserSubscription(@Nullable String endpoint, @Nullable Long expirationTime, @Nullable Keys keys) {

	}

	/**
	 * The browser's keys for message encryption (RFC 8291).
	 *
	 * @param p256dh its P-256 public key, base64url of the uncompressed point
	 * @param auth its 16-byte authentication secret, base64url
	 */
	record Keys(@Nullable String p256dh, @Nullable String auth) {

	}

}
