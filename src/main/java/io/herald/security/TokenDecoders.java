package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestTemplate;

/**
 * Builds the Nimbus decoder every token goes through: HS256 with Herald's secret, or
 * RS256 and ES256 with the keys of a JWK set, and the claim checks all tokens pass, a
 * readable {@code acl} claim included.
 */
final class TokenDecoders {

	/** How long fetching the JWK set may take, to connect and to read. */
	static final Duration JWK_SET_TIMEOUT = Duration.ofSeconds(5);

	private TokenDecoders() {
	}

	/**
	 * The decoder for {@code properties}; {@code secret} is the HS256 key when no JWK set
	 * is configured.
	 */
	static JwtDecoder create(SecurityProperties.Jwt properties, @Nullable String secret) {
		NimbusJwtDecoder decoder;
		if (properties.jwkSetUri() != null) {
			SimpleClientHttpRequestFactory requestFactory = new SimpleClientHttpRequestFactory();
			requestFactory.setConnectTimeout(JWK_SET_TIMEOUT);
			requestFactory.setReadTimeout(JWK_SET_TIMEOUT);
			decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString())
				.jwsAlgorithm(SignatureAlgorithm.RS256)
				.jwsAlgorithm(SignatureAlgorithm.ES256)
				.restOperations(new RestTemplate(requestFactory))
				.build();
		}
		else {
			Assert.state(secret != null, "An HS256 secret is needed when no JWK set is configured");
			SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
			decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		}
		decoder.setJwtValidator(validator(properties));
		return decoder;
	}

	static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt properties) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(JwtTypeValidator.jwt());
		JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
		// A token without exp would be valid forever.
		timestamps.setAllowEmptyExpiryClaim(false);
		validators.add(timestamps);
		validators.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, StringUtils::hasText));
		if (properties.issuer() != null) {
			validators.add(new JwtIssuerValidator(properties.issuer()));
		}
		if (properties.audience() != null) {
			validators.add(new JwtAudienceValidator(properties.audience()));
		}
		validators.add(new AclClaimValidator());
		return JwtValidators.createDefaultWithValidators(validators);
	}

}
