package io.herald.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.security.TokenMinter;

/**
 * Tokens for tests, signed with the fixed secret {@link HeraldIntegrationTest}
 * configures.
 */
public final class TestTokens {

	/** The HS256 secret of Herald in tests. */
	public static final String SECRET = "herald-tests-fixed-hs256-secret-0123456789";

	private static final TokenMinter minter = new TokenMinter(SECRET);

	private static final Duration VALIDITY = Duration.ofMinutes(30);

	private TestTokens() {
	}

	/** A token with rights to every topic, which also opens the actuator. */
	public static String admin() {
		return withAcl(Map.of("all", List.of("#")));
	}

	/** A token that may publish to {@code filters} and nothing else. */
	public static String publishing(String... filters) {
		return withAcl(Map.of("pub", List.of(filters)));
	}

	/** A token that may subscribe to {@code filters} and nothing else. */
	public static String subscribing(String... filters) {
		return withAcl(Map.of("sub", List.of(filters)));
	}

	/** A token with exactly this {@code acl} claim. */
	public static String withAcl(Object acl) {
		return minter.mint("test-client", acl, VALIDITY);
	}

	/** A token of the identity {@code subject} with exactly this {@code acl} claim. */
	public static String of(String subject, Object acl) {
		return minter.mint(subject, acl, VALIDITY);
	}

	/** A valid token without an {@code acl} claim, which has no rights. */
	public static String withoutAcl() {
		return minter.mint("test-client", null, VALIDITY);
	}

	/** A token with exactly these claims (times as epoch seconds). */
	public static String withClaims(Map<String, ?> claims) {
		return minter.mint(claims);
	}

	/** The value of an {@code Authorization} header carrying {@code token}. */
	public static String bearer(String token) {
		return "Bearer " + token;
	}

}
