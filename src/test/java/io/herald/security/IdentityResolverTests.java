package io.herald.security;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityResolverTests {

	private static final String SECRET = "identity-resolver-tests-secret-0123456789";

	private final TokenMinter minter = new TokenMinter(SECRET);

	private final AtomicReference<String> decodingThread = new AtomicReference<>();

	private IdentityResolver resolver;

	@AfterEach
	void stop() {
		if (this.resolver != null) {
			this.resolver.destroy();
		}
	}

	@Test
	void resolvesAValidTokenOnATokenThreadWithTheRightsOfItsAclAlone() throws Exception {
		this.resolver = resolver(properties(true, true));
		String token = this.minter.mint("alice", Map.of("sub", List.of("/private/#")), Duration.ofMinutes(5));

		Identity identity = this.resolver.resolve(token).get(5, TimeUnit.SECONDS);

		assertThat(identity.subject()).isEqualTo("alice");
		assertThat(identity.anonymous()).isFalse();
		assertThat(identity.expiresAt()).isAfter(Instant.now());
		assertThat(this.decodingThread.get()).startsWith("herald-token-");
		assertThat(identity.rights(null).maySubscribe("/private/plans")).isTrue();
		// Not what anonymous clients may do: a token's rights are its own.
		assertThat(identity.rights(null).maySubscribe("/news/sport")).isFalse();
		assertThat(identity.rights(null).mayPublish("/private/plans")).isFalse();
	}

	@Test
	void givesATokenWithoutAclNoRights() throws Exception {
		this.resolver = resolver(properties(true, true));

		Identity identity = this.resolver.resolve(this.minter.mint("bob", null, Duration.ofMinutes(5)))
			.get(5, TimeUnit.SECONDS);

		assertThat(identity.rights(null).maySubscribe("/news/sport")).isFalse();
		assertThat(identity.rights(null).mayPublish("/news/sport")).isFalse();
	}

	@Test
	void substitutesTheClientIdIntoTheRights() throws Exception {
		this.resolver = resolver(properties(true, true));
		String token = this.minter.mint("carol", Map.of("all", List.of("/clients/${clientid}/#")),
				Duration.ofMinutes(5));

		Identity identity = this.resolver.resolve(token).get(5, TimeUnit.SECONDS);

		assertThat(identity.rights("browser-1").mayPublish("/clients/browser-1/hello")).isTrue();
		assertThat(identity.rights("browser-2").mayPublish("/clients/browser-1/hello")).isFalse();
	}

	@Test
	void givesClientsWithoutTokenTheAnonymousRights() throws Exception {
		this.resolver = resolver(properties(true, true));

		for (String none : new String[] { null, "" }) {
			Identity identity = this.resolver.resolve(none).get(5, TimeUnit.SECONDS);

			assertThat(identity.anonymous()).isTrue();
			assertThat(identity.rights(null).maySubscribe("/news/+/sport")).isTrue();
			assertThat(identity.rights(null).maySubscribe("/private/#")).isFalse();
			assertThat(identity.rights(null).mayPublish("/news/sport")).isFalse();
		}
	}

	@Test
	void refusesClientsWithoutTokenWhenAnonymousAccessIsDisabled() {
		this.resolver = resolver(properties(true, false));

		assertThat(failure(this.resolver.resolve(null))).isInstanceOf(AccessRefusedException.class)
			.hasMessage("Anonymous access is disabled (herald.security.anonymous.enabled)");
	}

	@Test
	void refusesAnInvalidTokenSayingWhyWithoutRepeatingIt() {
		this.resolver = resolver(properties(true, true));
		long now = Instant.now().getEpochSecond();
		String expired = this.minter.mint(Map.of("sub", "alice", "iat", now - 7200, "exp", now - 3600));
		String withoutExp = this.minter.mint(Map.of("sub", "alice"));
		String foreign = new TokenMinter("another-secret-of-at-least-32-bytes!!").mint("alice", null,
				Duration.ofMinutes(5));
		String badAcl = this.minter.mint("alice", Map.of("publish", List.of("#")), Duration.ofMinutes(5));

		assertRefused(expired, "expired");
		assertRefused(withoutExp, "exp is required");
		assertRefused(foreign, "Invalid signature");
		assertRefused(badAcl, "acl");
		assertRefused("not.a.token", "Malformed");
	}

	@Test
	void refusesATokenFromAnotherIssuerOrForAnotherAudience() {
		SecurityProperties checking = new SecurityProperties(true,
				new SecurityProperties.Jwt(SECRET, null, "https://idp.example", "herald", Duration.ofSeconds(60)),
				anonymous(true), Path.of("unused"), new SecurityProperties.AdminToken(Duration.ofHours(1)));
		this.resolver = resolver(checking);
		long exp = Instant.now().getEpochSecond() + 300;

		assertRefused(this.minter.mint(Map.of("sub", "a", "exp", exp, "iss", "https://evil.example", "aud", "herald")),
				"iss");
		assertRefused(this.minter.mint(Map.of("sub", "a", "exp", exp, "iss", "https://idp.example", "aud", "other")),
				"aud");
	}

	@Test
	void givesEveryoneEveryRightAndLooksAtNoTokenWhenSecurityIsDisabled() throws Exception {
		this.resolver = resolver(properties(false, false));

		Identity withoutToken = this.resolver.resolve(null).get(5, TimeUnit.SECONDS);
		Identity withGarbage = this.resolver.resolve("garbage").get(5, TimeUnit.SECONDS);

		assertThat(withoutToken.rights(null).coversEverything()).isTrue();
		assertThat(withGarbage.rights(null).coversEverything()).isTrue();
		assertThat(this.decodingThread.get()).isNull();
		assertThat(this.resolver.identify(null).rights(null).coversEverything()).isTrue();
	}

	@Test
	void identifiesRestCallersFromWhatTheFilterChainVerified() {
		this.resolver = resolver(properties(true, true));
		JwtDecoder decoder = TokenDecoders.create(properties(true, true).jwt(), SECRET);
		String token = this.minter.mint("dave", Map.of("pub", List.of("/news/#")), Duration.ofMinutes(5));

		Identity caller = this.resolver.identify(new JwtAuthenticationToken(decoder.decode(token)));
		Identity anonymous = this.resolver.identify(null);

		assertThat(caller.subject()).isEqualTo("dave");
		assertThat(caller.rights(null).mayPublish("/news/sport")).isTrue();
		assertThat(anonymous.anonymous()).isTrue();
		assertThat(anonymous.rights(null).mayPublish("/news/sport")).isFalse();
		assertThat(anonymous.rights(null).maySubscribe("/news/sport")).isTrue();
	}

	private void assertRefused(String token, String reason) {
		Throwable failure = failure(this.resolver.resolve(token));
		assertThat(failure).isInstanceOf(AccessRefusedException.class).hasMessageContaining(reason);
		for (String part : token.split("\\.")) {
			if (part.length() >= 8) {
				assertThat(failure.getMessage()).doesNotContain(part);
			}
		}
	}

	private IdentityResolver resolver(SecurityProperties properties) {
		JwtDecoder decoder = TokenDecoders.create(properties.jwt(), SECRET);
		return new IdentityResolver(properties, (token) -> {
			this.decodingThread.set(Thread.currentThread().getName());
			return decoder.decode(token);
		});
	}

	private static SecurityProperties properties(boolean enabled, boolean anonymousEnabled) {
		return new SecurityProperties(enabled,
				new SecurityProperties.Jwt(SECRET, null, null, null, Duration.ofSeconds(60)),
				anonymous(anonymousEnabled), Path.of("unused"), new SecurityProperties.AdminToken(Duration.ofHours(1)));
	}

	private static SecurityProperties.Anonymous anonymous(boolean enabled) {
		return new SecurityProperties.Anonymous(enabled, List.of("/news/#"), List.of());
	}

	private static Throwable failure(CompletableFuture<?> future) {
		try {
			future.get(5, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("Expected the future to fail within 5 seconds", ex);
		}
		throw new AssertionError("Expected the future to fail, but it completed");
	}

}
