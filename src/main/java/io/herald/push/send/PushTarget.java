package io.herald.push.send;

import java.net.URI;

/**
 * A browser's push subscription, as the browser's {@code PushSubscription} gave it.
 * <p>
 * The endpoint's path and the keys are secrets of the subscription (whoever holds them
 * can push to the browser), so {@link #toString()} shows only the id and the endpoint's
 * host.
 *
 * @param id the subscription's id in Herald's store, for logs and callbacks
 * @param endpoint the push service URL the browser was given
 * @param p256dh the browser's P-256 public key, 65 bytes uncompressed
 * @param auth the browser's 16-byte authentication secret
 */
public record PushTarget(String id, URI endpoint, byte[] p256dh, byte[] auth) {

	public PushTarget {
		if (endpoint.getHost() == null) {
			throw new IllegalArgumentException("The push endpoint of subscription " + id + " has no host");
		}
		if (p256dh.length != P256.UNCOMPRESSED_LENGTH) {
			throw new IllegalArgumentException(
					"The p256dh key of subscription " + id + " must be 65 bytes, not " + p256dh.length);
		}
		if (auth.length != 16) {
			throw new IllegalArgumentException(
					"The auth secret of subscription " + id + " must be 16 bytes, not " + auth.length);
		}
	}

	@Override
	public String toString() {
		return "PushTarget[id=" + this.id + ", host=" + this.endpoint.getHost() + "]";
	}

}
