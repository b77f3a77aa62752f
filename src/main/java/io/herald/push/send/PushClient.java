package io.herald.push.send;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The HTTP side of a push: the RFC 8030 request that hands one encrypted message to a
 * push service, over HTTP/2 where the service offers it and HTTP/1.1 otherwise. Redirects
 * are not followed: a push service has no reason to send one, and following it would
 * leave the endpoints Herald accepted.
 */
final class PushClient {

	private final PushSenderSettings settings;

	private final VapidSigner vapid;

	private final ExecutorService threads;

	private final HttpClient client;

	PushClient(PushSenderSettings settings, VapidSigner vapid, ThreadFactory threads) {
		this.settings = settings;
		this.vapid = vapid;
		this.threads = Executors.newCachedThreadPool(threads);
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(settings.requestTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(this.threads)
			.build();
	}

	/** POST this encrypted body for a message of this MQTT topic to the target. */
	HttpResponse<Void> send(PushTarget target, String mqttTopic, byte[] body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(target.endpoint())
			.timeout(this.settings.requestTimeout())
			.header("Content-Encoding", "aes128gcm")
			.header("Content-Type", "application/octet-stream")
			.header("TTL", Long.toString(this.settings.ttl().toSeconds()))
			.header("Urgency", this.settings.urgency())
			.header("Topic", topic(mqttTopic))
			.header("Authorization", this.vapid.authorization(target.endpoint()))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.discarding());
	}

	/**
	 * The {@code Topic} header (RFC 8030 section 5.4) for an MQTT topic: the first 24
	 * bytes of its SHA-256 in base64url, 32 characters.
	 * <p>
	 * A push service keeps only the newest undelivered message of each {@code Topic} for
	 * a subscription, so a browser that was offline gets the latest message of each MQTT
	 * topic rather than a backlog of stale ones. The header allows at most 32 base64url
	 * characters, which an MQTT topic rarely is; a hash of 192 bits fits, keeps distinct
	 * topics apart, and does not show the topic name in clear.
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

	/** Stop the client's threads (Java 17's HttpClient has no close of its own). */
	void close() {
		this.threads.shutdownNow();
	}

}
