package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Mints HS256 tokens with a secret Herald verifies: the admin token logged at start, and
 * tokens for tests.
 */
public final class TokenMinter {

	/** The claim holding a token's topic rights. */
	public static final String ACL_CLAIM = "acl";

	private final MACSigner signer;

	private final Clock clock;

	/**
	 * A minter signing with {@code secret}'s UTF-8 bytes, as
	 * {@code herald.security.jwt.secret} is used.
	 */
	public TokenMinter(String secret) {
		this(secret, Clock.systemUTC());
	}

	TokenMinter(String secret, Clock clock) {
		byte[] key = secret.getBytes(StandardCharsets.UTF_8);
		Assert.isTrue(key.length >= SecurityProperties.MIN_SECRET_BYTES,
				() -> "An HS256 secret needs at least " + SecurityProperties.MIN_SECRET_BYTES + " bytes");
		try {
			this.signer = new MACSigner(key);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("Failed to use the secret for HS256", ex);
		}
		this.clock = clock;
	}

	/**
	 * A token for {@code subject} with the given {@code acl} claim (left out when
	 * {@code null}), issued now and valid for {@code validity}.
	 */
	public String mint(String subject, @Nullable Object acl, Duration validity) {
		Assert.isTrue(!validity.isNegative() && !validity.isZero(), "validity must be positive");
		Instant now = this.clock.instant();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(validity)));
		if (acl != null) {
			claims.claim(ACL_CLAIM, acl);
		}
		return sign(claims.build());
	}

	/**
	 * A token with exactly {@code claims}, as JSON values (times as epoch seconds);
	 * nothing is added, so a token without {@code exp} can be made too.
	 */
	public String mint(Map<String, ?> claims) {
		try {
			return sign(JWTClaimsSet.parse(new LinkedHashMap<String, Object>(claims)));
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("Invalid claims: " + ex.getMessage(), ex);
		}
	}

	private String sign(JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
				claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Failed to sign a token", ex);
		}
		return jwt.serialize();
	}

}
