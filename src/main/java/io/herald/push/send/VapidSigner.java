package io.herald.push.send;

import java.net.URI;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs the {@code Authorization: vapid t=..., k=...} header of RFC 8292 that identifies
 * Herald to push services: an ES256 JWT whose {@code aud} is the push service's origin,
 * {@code exp} twelve hours ahead (the RFC allows at most 24) and {@code sub} a contact.
 * <p>
 * Signing costs an ECDSA operation, so each audience keeps its header and gets a new one
 * an hour before the old one expires: a push service never sees an expired or nearly
 * expired token, and a busy one costs one signature per eleven hours.
 */
public final class VapidSigner {

	/** How long a token is valid. */
	static final Duration LIFETIME = Duration.ofHours(12);

	/** How long before its expiry a token is replaced. */
	static final Duration RENEWAL = Duration.ofHours(1);

	private final ECDSASigner signer;

	private final String publicKey;

	private final String subject;

	private final Clock clock;

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	/**
	 * Sign with this VAPID key pair, naming this contact.
	 * @param publicKey the VAPID public key, sent with each token as {@code k}
	 * @param privateKey its private key, which signs the tokens
	 * @param subject a contact for the push service's operators: {@code mailto:} or
	 * {@code https:}
	 * @param clock the time tokens are issued at
	 */
	public VapidSigner(ECPublicKey publicKey, ECPrivateKey privateKey, String subject, Clock clock) {
		if (!subject.startsWith("mailto:") && !subject.startsWith("https:")) {
			throw new IllegalArgumentException(
					"The VAPID subject must be a mailto: or https: URI, not '" + subject + "'");
		}
		try {
			this.signer = new ECDSASigner(privateKey);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("The VAPID private key is not a P-256 key", ex);
		}
		this.publicKey = Base64.getUrlEncoder().withoutPadding().encodeToString(P256.uncompressed(publicKey));
		this.subject = subject;
		this.clock = clock;
	}

	/** The {@code Authorization} header value for a request to this push endpoint. */
	public String authorization(URI endpoint) {
		String audience = origin(endpoint);
		Instant now = this.clock.instant();
		Token token = this.tokens.compute(audience,
				(key, current) -> (current != null && now.isBefore(current.renewAt())) ? current : sign(key, now));
		return token.header();
	}

	/**
	 * The origin of an endpoint (RFC 6454): lower-case scheme and host, and the port
	 * unless it is the scheme's default.
	 */
	static String origin(URI endpoint) {
		if (endpoint.getScheme() == null || endpoint.getHost() == null) {
			throw new IllegalArgumentException("A push endpoint must be an absolute http(s) URI");
		}
		String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
		int port = endpoint.getPort();
		boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
				|| (scheme.equals("http") && port == 80);
		return scheme + "://" + endpoint.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
	}

	private Token sign(String audience, Instant now) {
		Instant expiry = now.plus(LIFETIME);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(audience)
			.expirationTime(Date.from(expiry))
			.subject(this.subject)
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
				claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Failed to sign a VAPID token for " + audience, ex);
		}
		return new Token("vapid t=" + jwt.serialize() + ", k=" + this.publicKey, expiry.minus(RENEWAL));
	}

	private record Token(String header, Instant renewAt) {
	}

}
