package io.herald.security;

import java.security.Principal;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.util.StringUtils;

/**
 * Tells who a client is from the token it presents: verified off the caller's thread for
 * the relay's MQTT CONNECT, or taken from what the filter chain verified for a REST
 * request.
 */
public class IdentityResolver implements DisposableBean {

	/**
	 * Tokens checked at once; verifying one takes microseconds, fetching a JWK set
	 * longer.
	 */
	static final int THREADS = 2;

	/** Tokens waiting to be checked before more are turned away. */
	static final int QUEUE_CAPACITY = 1_000;

	private static final String ANONYMOUS_DISABLED = "Anonymous access is disabled (herald.security.anonymous.enabled)";

	private static final String DECODING_PREFIX = "An error occurred while attempting to decode the Jwt: ";

	private final SecurityProperties properties;

	private final @Nullable JwtDecoder decoder;

	private final Identity anonymous;

	private final ExecutorService threads;

	IdentityResolver(SecurityProperties properties, @Nullable JwtDecoder decoder) {
		this.properties = properties;
		this.decoder = decoder;
		this.anonymous = Identity.anonymous(properties.enabled() ? properties.anonymous().rights() : TopicRights.all());
		this.threads = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(QUEUE_CAPACITY), threadFactory());
	}

	/**
	 * The identity of a client presenting {@code token} ({@code null} or empty when it
	 * has none), completed on a thread of Herald's own, never the caller's. Fails with an
	 * {@link AccessRefusedException} saying why when the token is refused, or when there
	 * is none and anonymous access is disabled; a token that is present but invalid is
	 * refused, never taken as anonymous. Fails with another exception when the token
	 * could not be checked at all (the JWK set could not be fetched, or too many tokens
	 * are waiting). With security disabled, every client gets every right and no token is
	 * looked at.
	 */
	public CompletableFuture<Identity> resolve(@Nullable String token) {
		if (!this.properties.enabled()) {
			return CompletableFuture.completedFuture(this.anonymous);
		}
		if (!StringUtils.hasLength(token)) {
			return this.properties.anonymous().enabled() ? CompletableFuture.completedFuture(this.anonymous)
					: CompletableFuture.failedFuture(new AccessRefusedException(ANONYMOUS_DISABLED));
		}
		try {
			return CompletableFuture.supplyAsync(() -> decode(token), this.threads);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The identity of the caller of a REST request, as the filter chain authenticated it:
	 * anonymous without a token, every right with security disabled.
	 */
	public Identity identify(@Nullable Principal principal) {
		if (this.properties.enabled() && principal instanceof JwtAuthenticationToken authentication) {
			return Identity.of(authentication.getToken());
		}
		return this.anonymous;
	}

	@Override
	public void destroy() {
		this.threads.shutdownNow();
	}

	private Identity decode(String token) {
		if (this.decoder == null) {
			throw new IllegalStateException("No token decoder, although security is enabled");
		}
		try {
			// The acl claim is checked by the decoder's validators: a malformed one
			// refuses the token.
			return Identity.of(this.decoder.decode(token));
		}
		catch (BadJwtException ex) {
			throw new AccessRefusedException("Token refused: " + reason(ex, token));
		}
		catch (JwtException ex) {
			throw new IllegalStateException("Token could not be checked: " + reason(ex, token), ex);
		}
	}

	/** Why Spring Security refused the token, without repeating any part of it. */
	static String reason(JwtException ex, String token) {
		String reason;
		if (ex instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
			reason = String.join("; ",
					invalid.getErrors()
						.stream()
						.map((error) -> StringUtils.hasText(error.getDescription()) ? error.getDescription()
								: error.getErrorCode())
						.toList());
		}
		else {
			String message = (ex.getMessage() != null) ? ex.getMessage() : "";
			reason = message.startsWith(DECODING_PREFIX) ? message.substring(DECODING_PREFIX.length()) : message;
		}
		for (String part : token.split("\\.")) {
			if (part.length() >= 8 && reason.contains(part)) {
				return "the token is malformed";
			}
		}
		return reason;
	}

	private static CustomizableThreadFactory threadFactory() {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("herald-token-");
		factory.setDaemon(true);
		return factory;
	}

}
