package io.herald.push.send;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VapidSignerTests {

	private static final Pattern HEADER = Pattern.compile("vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+)");

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final KeyPair keys = generateKeys();

	private final MutableClock clock = new MutableClock(NOW);

	private final VapidSigner signer = new VapidSigner((ECPublicKey) this.keys.getPublic(),
			(ECPrivateKey) this.keys.getPrivate(), "mailto:ops@herald.example", this.clock);

	@Test
	void signsATokenForTheEndpointsOriginThatThePublicKeyVerifies() throws Exception {
		String header = this.signer.authorization(URI.create("https://fcm.googleapis.com/fcm/send/abc:def"));

		Matcher parts = HEADER.matcher(header);
		assertThat(parts.matches()).as(header).isTrue();
		assertThat(Base64.getUrlDecoder().decode(parts.group(2)))
			.isEqualTo(P256.uncompressed((ECPublicKey) this.keys.getPublic()));
		SignedJWT jwt = SignedJWT.parse(parts.group(1));
		assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) this.keys.getPublic()))).isTrue();
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly("https://fcm.googleapis.com");
		assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo("https://fcm.googleapis.com");
		assertThat(claims.getSubject()).isEqualTo("mailto:ops@herald.example");
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(12)))
			.isBefore(NOW.plus(Duration.ofHours(24)));
	}

	@Test
	void reusesTheTokenOfAnAudienceUntilAnHourBeforeItExpires() throws ParseException {
		String first = this.signer.authorization(URI.create("https://updates.push.services.mozilla.com/wpush/v2/one"));

		this.clock.advance(Duration.ofHours(10));
		String sameOrigin = this.signer
			.authorization(URI.create("https://updates.push.services.mozilla.com:443/wpush/v2/two"));
		this.clock.advance(Duration.ofHours(1).plusSeconds(1));
		String renewed = this.signer
			.authorization(URI.create("https://updates.push.services.mozilla.com/wpush/v2/one"));

		assertThat(sameOrigin).isEqualTo(first);
		assertThat(renewed).isNotEqualTo(first);
		assertThat(expiry(renewed)).isEqualTo(NOW.plus(Duration.ofHours(23).plusSeconds(1)));
	}

	@Test
	void givesEachAudienceItsOwnToken() throws ParseException {
		String mozilla = this.signer.authorization(URI.create("https://updates.push.services.mozilla.com/wpush/v2/a"));
		String apple = this.signer.authorization(URI.create("https://web.push.apple.com/QGuQyavXu"));

		assertThat(audience(mozilla)).isEqualTo("https://updates.push.services.mozilla.com");
		assertThat(audience(apple)).isEqualTo("https://web.push.apple.com");
	}

	@Test
	void anOriginIsLowerCaseAndKeepsOnlyAPortThatIsNotTheDefault() {
		assertThat(VapidSigner.origin(URI.create("HTTPS://Push.Example.net:443/x?y=1")))
			.isEqualTo("https://push.example.net");
		assertThat(VapidSigner.origin(URI.create("https://push.example.net:8443/x")))
			.isEqualTo("https://push.example.net:8443");
		assertThat(VapidSigner.origin(URI.create("http://127.0.0.1:8080/x"))).isEqualTo("http://127.0.0.1:8080");
		assertThat(VapidSigner.origin(URI.create("http://127.0.0.1:80/x"))).isEqualTo("http://127.0.0.1");
	}

	@Test
	void refusesASubjectThatIsNeitherMailtoNorHttps() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new VapidSigner((ECPublicKey) this.keys.getPublic(),
					(ECPrivateKey) this.keys.getPrivate(), "ops@herald.example", this.clock))
			.withMessageContaining("mailto: or https:");
	}

	private static String audience(String header) throws ParseException {
		return claims(header).getAudience().get(0);
	}

	private static Instant expiry(String header) throws ParseException {
		return claims(header).getExpirationTime().toInstant();
	}

	private static JWTClaimsSet claims(String header) throws ParseException {
		Matcher parts = HEADER.matcher(header);
		assertThat(parts.matches()).as(header).isTrue();
		return SignedJWT.parse(parts.group(1)).getJWTClaimsSet();
	}

	static KeyPair generateKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(P256.PARAMETERS);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
