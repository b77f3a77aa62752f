package io.herald.push.send;

import org.jspecify.annotations.Nullable;

/**
 * One message for one subscription, across its attempts. Handed from thread to thread
 * through executors, which order its reads after its writes.
 */
final class PushDelivery {

	private final PushTarget target;

	private final PushMessage message;

	/** Encrypted at the first attempt: retries send the same bytes. */
	private byte @Nullable [] body;

	private int attempts;

	PushDelivery(PushTarget target, PushMessage message) {
		this.target = target;
		this.message = message;
	}

	PushTarget target() {
		return this.target;
	}

	PushMessage message() {
		return this.message;
	}

	/**
	 * The encrypted body, made at the first call.
	 * @throws IllegalArgumentException if the message cannot be made to fit a push
	 */
	byte[] body(WebPushEncryption encryption, PushPlaintext plaintext) {
		byte[] body = this.body;
		if (body == null) {
			body = encryption.encrypt(this.target.p256dh(), this.target.auth(), plaintext.of(this.message));
			this.body = body;
		}
		return body;
	}

	/** Count an attempt about to be made. */
	void attempting() {
		this.attempts++;
	}

	int attempts() {
		return this.attempts;
	}

}
