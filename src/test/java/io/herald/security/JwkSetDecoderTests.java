package io.herald.security;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tokens signed by an identity provider, verified with the keys of the JWK set it serves
 * (here from a loopback HTTP server): RS256 and ES256 are accepted, anything else is
 * refused.
 */
class JwkSetDecoderTests {

	private static RSAKey rsa;

	private static ECKey ec;

	private static HttpServer server;

	private static final AtomicInteger fetches = new AtomicInteger();

	private static JwtDecoder decoder;

	@BeforeAll
	static void serveJwkSet() throws Exception {
		rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
		ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString()
			.getBytes(StandardCharsets.UTF_8);
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/jwks.json", (exchange) -> {
			fetches.incrementAndGet();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(jwks);
			}
		});
		server.start();
		URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
		decoder = TokenDecoders.create(TokenDecodersTests.jwkSet(uri), null);
	}

	@AfterAll
	static void stopServer() {
		server.stop(0);
	}

	@Test
	void acceptsRs256TokenSignedByAKeyOfTheSet() throws Exception {
		String token = sign(JWSAlgorithm.RS256, rsa.getKeyID(), new RSASSASigner(rsa));

		assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
		assertThat(fetches).hasPositiveValue();
	}

	@Test
	void acceptsEs256TokenSignedByAKeyOfTheSet() throws Exception {
		String token = sign(JWSAlgorithm.ES256, ec.getKeyID(), new ECDSASigner(ec));

		assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
	}

	@Test
	void refusesTokenSignedByAKeyOutsideTheSet() throws Exception {
		RSAKey stranger = new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
		String token = sign(JWSAlgorithm.RS256, stranger.getKeyID(), new RSASSASigner(stranger));

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> decoder.decode(token))
			.withMessageContaining("Invalid signature");
	}

	@Test
	void refusesAlgorithmsOtherThanRs256AndEs256() throws Exception {
		String rs512 = sign(JWSAlgorithm.RS512, rsa.getKeyID(), new RSASSASigner(rsa));
		String hs256 = new TokenMinter("a-shared-secret-of-at-least-32-bytes").mint("alice", null,
				Duration.ofSeconds(60));

		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> decoder.decode(rs512));
		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> decoder.decode(hs256));
	}

	@Test
	void refusesExpiredTokenOfTheSet() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
				new JWTClaimsSet.Builder().subject("alice")
					.expirationTime(Date.from(Instant.now().minusSeconds(3600)))
					.build());
		jwt.sign(new ECDSASigner(ec));

		assertThatExceptionOfType(JwtException.class).isThrownBy(() -> decoder.decode(jwt.serialize()))
			.withMessageContaining("expired");
	}

	private static String sign(JWSAlgorithm algorithm, String keyId, JWSSigner signer) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).type(JOSEObjectType.JWT).build(),
				new JWTClaimsSet.Builder().subject("alice")
					.expirationTime(Date.from(Instant.now().plusSeconds(60)))
					.build());
		jwt.sign(signer);
		return jwt.serialize();
	}

}
