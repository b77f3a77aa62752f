package io.herald.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenDecodersTests {

	private static final String SECRET = "unit-test-secret-of-at-least-32-bytes!";

	private final TokenMinter minter = new TokenMinter(SECRET);

	@Test
	void acceptsHs256TokenSignedWithTheSecret() {
		String token = this.minter.mint("alice", Map.of("all", List.of("#")), Duration.ofSeconds(60));

		Jwt jwt = decoder(jwt(null, null, Duration.ofSeconds(60))).decode(token);

		assertThat(jwt.getSubject()).isEqualTo("alice");
		assertThat(jwt.getClaims()).containsEntry("acl", Map.of("all", List.of("#")));
	}

	@Test
	void refusesTokenSignedWithAnotherKey() {
		String token = new TokenMinter("another-secret-of-at-least-32-bytes!!").mint("alice", null,
				Duration.ofSeconds(60));

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> defaultDecoder().decode(token))
			.withMessageContaining("Invalid signature");
	}

	@Test
	void refusesUnsignedToken() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String token = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(("{\"sub\":\"mallory\",\"exp\":" + (Instant.now().getEpochSecond() + 60)
						+ ",\"acl\":{\"all\":[\"#\"]}}")
					.getBytes(StandardCharsets.UTF_8))
				+ ".";

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> defaultDecoder().decode(token))
			.withMessageContaining("none");
	}

	@Test
	void refusesTokenWithAnotherMacAlgorithm() throws Exception {
		SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512),
				new JWTClaimsSet.Builder().subject("alice")
					.expirationTime(Date.from(Instant.now().plusSeconds(60)))
					.build());
		hs512.sign(new MACSigner((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)));

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> defaultDecoder().decode(hs512.serialize()));
	}

	@Test
	void refusesExpiredToken() {
		String token = expiredSecondsAgo(3600);

		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> defaultDecoder().decode(token))
			.withMessageContaining("expired");
	}

	@Test
	void refusesTokenWithoutExp() {
		String token = this.minter.mint(Map.of("sub", "alice", "acl", Map.of("all", List.of("#"))));

		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> defaultDecoder().decode(token))
			.withMessageContaining("exp is required");
	}

	@Test
	void refusesTokenWithoutSubject() {
		String token = this.minter.mint(Map.of("exp", Instant.now().getEpochSecond() + 60));

		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> defaultDecoder().decode(token))
			.withMessageContaining("sub");
	}

	@Test
	void honoursTheClockSkewOnExpiry() {
		String expiredLately = expiredSecondsAgo(30);
		String expiredLongAgo = expiredSecondsAgo(90);

		assertThat(defaultDecoder().decode(expiredLately).getSubject()).isEqualTo("alice");
		assertThatExceptionOfType(JwtValidationException.class)
			.isThrownBy(() -> defaultDecoder().decode(expiredLongAgo));
		assertThatExceptionOfType(JwtValidationException.class)
			.isThrownBy(() -> decoder(jwt(null, null, Duration.ZERO)).decode(expiredLately));
	}

	@Test
	void honoursTheClockSkewOnNotBefore() {
		long now = Instant.now().getEpochSecond();
		String soon = this.minter.mint(Map.of("sub", "alice", "exp", now + 600, "nbf", now + 30));
		String later = this.minter.mint(Map.of("sub", "alice", "exp", now + 600, "nbf", now + 90));

		assertThat(defaultDecoder().decode(soon).getSubject()).isEqualTo("alice");
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> defaultDecoder().decode(later))
			.withMessageContaining("used before");
	}

	@Test
	void checksTheIssuerOnlyWhenConfigured() {
		long exp = Instant.now().getEpochSecond() + 60;
		String fromIdp = this.minter.mint(Map.of("sub", "alice", "exp", exp, "iss", "https://idp.example"));
		String fromElsewhere = this.minter.mint(Map.of("sub", "alice", "exp", exp, "iss", "https://evil.example"));
		String withoutIssuer = this.minter.mint(Map.of("sub", "alice", "exp", exp));
		JwtDecoder checking = decoder(jwt("https://idp.example", null, Duration.ofSeconds(60)));

		assertThat(checking.decode(fromIdp).getSubject()).isEqualTo("alice");
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> checking.decode(fromElsewhere))
			.withMessageContaining("iss");
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> checking.decode(withoutIssuer));
		assertThat(defaultDecoder().decode(fromElsewhere).getSubject()).isEqualTo("alice");
	}

	@Test
	void checksTheAudienceOnlyWhenConfigured() {
		long exp = Instant.now().getEpochSecond() + 60;
		String forHerald = this.minter.mint(Map.of("sub", "alice", "exp", exp, "aud", List.of("herald", "other")));
		String forOther = this.minter.mint(Map.of("sub", "alice", "exp", exp, "aud", "other"));
		JwtDecoder checking = decoder(jwt(null, "herald", Duration.ofSeconds(60)));

		assertThat(checking.decode(forHerald).getSubject()).isEqualTo("alice");
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> checking.decode(forOther))
			.withMessageContaining("aud");
		assertThat(defaultDecoder().decode(forOther).getSubject()).isEqualTo("alice");
	}

	@Test
	void refusesMalformedToken() {
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> defaultDecoder().decode("not-a-token"))
			.withMessageContaining("Malformed token");
	}

	private String expiredSecondsAgo(long seconds) {
		long exp = Instant.now().getEpochSecond() - seconds;
		return this.minter.mint(Map.of("sub", "alice", "iat", exp - 600, "exp", exp));
	}

	private static JwtDecoder defaultDecoder() {
		return decoder(jwt(null, null, Duration.ofSeconds(60)));
	}

	private static JwtDecoder decoder(SecurityProperties.Jwt jwt) {
		return TokenDecoders.create(jwt, SECRET);
	}

	static SecurityProperties.Jwt jwt(String issuer, String audience, Duration clockSkew) {
		return new SecurityProperties.Jwt(null, null, issuer, audience, clockSkew);
	}

	static SecurityProperties.Jwt jwkSet(URI uri) {
		return new SecurityProperties.Jwt(null, uri, null, null, Duration.ofSeconds(60));
	}

}
