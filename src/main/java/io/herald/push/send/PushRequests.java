package io.herald.push.send;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Builds the RFC 8030 request that hands one encrypted message to a push service.
 */
final class PushRequests {

	private final PushSenderSettings settings;

	private final VapidSigner vapid;

	PushRequests(PushSenderSettings settings, VapidSigner vapid) {
		this.settings = settings;
		this.vapid = vapid;
	}

	/** A POST of this encrypted body for the message's topic to the target's endpoint. */
	HttpRequest build(PushTarget target, String mqttTopic, byte[] body) {
		return HttpRequest.newBuilder(target.endpoint())
			.timeout(this.settings.requestTimeout())
			.header("Content-Encoding", "aes128gcm")
			.header("Content-Type", "application/octet-stream")
			.header("TTL", Long.toString(this.settings.ttl().toSeconds()))
			.header("Urgency", this.settings.urgency())
			.header("Topic", topic(mqttTopic))
			.header("Authorization", this.vapid.authorization(target.endpoint()))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	/**
	 * The {@code Topic} header (RFC 8030 section 5.4) for an MQTT topic: the first 24
	 * bytes of its SHA-256 in base64url, 32 characters.
	 * <p>
	 * A push service keeps only the newest undelivered message of each {@code Topic} for
	 * a subscription, so a browser that was offline gets the latest message of each MQTT
	 * topic rather than a backlog. The header allows at most 32 base64url characters,
	 * which an MQTT topic rarely is, and the push service need not read Herald's topic
	 * names: a hash of 192 bits keeps distinct topics distinct.
	 */
	static String topic(String mqttTopic) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(mqttTopic.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 24));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK offers no SHA-256", ex);
		}
	}

}
