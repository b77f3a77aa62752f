package io.herald.relay;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.herald.security.TopicRights;
import org.jspecify.annotations.Nullable;

/**
 * Who a browser is and what it may do, asked once per MQTT CONNECT. Answers off the I/O
 * threads: checking a token may fetch a JWK set.
 */
@FunctionalInterface
interface RelayAccess {

	/**
	 * Check the browser's token ({@code null} for none) for a session with this client
	 * id.
	 * @return its admission, or a future failed with the reason it is refused
	 */
	CompletableFuture<Admission> admit(@Nullable String token, String clientId);

	/**
	 * A browser let in.
	 *
	 * @param subject the token's subject, or {@code null} for an anonymous browser
	 * @param rights the topics it may subscribe and publish to
	 * @param expiresAt when its token expires, or {@code null} for never
	 */
	record Admission(@Nullable String subject, TopicRights rights, @Nullable Instant expiresAt) {

	}

}
