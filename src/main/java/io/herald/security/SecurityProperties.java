package io.herald.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use Herald: how bearer tokens are checked, what anonymous clients may do, and
 * where Herald keeps the secret it generates for itself.
 *
 * @param enabled whether any check is made; false opens the REST API and gives every
 * relayed client every right
 * @param jwt how tokens are verified
 * @param anonymous what clients without a token may do
 * @param dataDirectory folder of the generated jwt-secret file
 * @param adminToken the admin token logged at start when Herald signs tokens with its own
 * secret
 */
@Validated
@ConfigurationProperties("herald.security")
public record SecurityProperties(@DefaultValue("true") boolean enabled, @DefaultValue @Valid Jwt jwt,
		@DefaultValue @Valid Anonymous anonymous, @DefaultValue("./data") @NotNull Path dataDirectory,
		@DefaultValue @Valid AdminToken adminToken) {

	/**
	 * The shortest HS256 secret accepted, in UTF-8 bytes (RFC 7518 §3.2: the hash's
	 * size).
	 */
	public static final int MIN_SECRET_BYTES = 32;

	/**
	 * How tokens are verified: HS256 with a shared secret, or RS256/ES256 with the keys
	 * of a JWK set; {@code exp} is always required.
	 *
	 * @param secret the HS256 key, used as its UTF-8 bytes; generated into the data
	 * directory when neither it nor jwk-set-uri is set
	 * @param jwkSetUri where the JWK set of an identity provider is served; when set,
	 * tokens must be RS256 or ES256 signed by one of its keys and secret is not used
	 * @param issuer the iss claim every token must carry, checked only when set
	 * @param audience a value the aud claim of every token must contain, checked only
	 * when set
	 * @param clockSkew how far the exp and nbf claims may be off, for clocks that differ
	 */
	public record Jwt(@Nullable String secret, @Nullable URI jwkSetUri, @Nullable String issuer,
			@Nullable String audience, @DefaultValue("60s") @NotNull Duration clockSkew) {

		public Jwt {
			if (StringUtils.hasLength(secret) && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
				throw new IllegalArgumentException(
						"herald.security.jwt.secret must be at least " + MIN_SECRET_BYTES + " bytes in UTF-8");
			}
			if (clockSkew != null && clockSkew.isNegative()) {
				throw new IllegalArgumentException("herald.security.jwt.clock-skew must not be negative");
			}
			secret = StringUtils.hasLength(secret) ? secret : null;
			issuer = StringUtils.hasLength(issuer) ? issuer : null;
			audience = StringUtils.hasLength(audience) ? audience : null;
		}

		/**
		 * Whether tokens are signed with a secret Herald knows (configured or generated).
		 */
		public boolean ownSecret() {
			return this.jwkSetUri == null;
		}

	}

	/**
	 * What a client without a token may do.
	 *
	 * @param enabled whether clients without a token are let in at all
	 * @param subscribe topic filters an anonymous client may subscribe to (and read from
	 * the history)
	 * @param publish topic filters an anonymous client may publish to
	 */
	public record Anonymous(@DefaultValue("true") boolean enabled, @DefaultValue("/news/#") List<String> subscribe,
			@DefaultValue List<String> publish) {

		public Anonymous {
			subscribe = (subscribe != null) ? List.copyOf(subscribe) : List.of();
			publish = (publish != null) ? List.copyOf(publish) : List.of();
			try {
				TopicRights.of(subscribe, publish);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"herald.security.anonymous has an invalid filter: " + ex.getMessage(), ex);
			}
		}

		/** The rights of an anonymous client. */
		public TopicRights rights() {
			return TopicRights.of(this.subscribe, this.publish);
		}

	}

	/**
	 * The admin token Herald mints and logs at each start when it knows the signing
	 * secret.
	 *
	 * @param validity how long the logged token stays valid
	 */
	public record AdminToken(@DefaultValue("24h") @NotNull Duration validity) {

		public AdminToken {
			if (validity != null && (validity.isZero() || validity.isNegative())) {
				throw new IllegalArgumentException("herald.security.admin-token.validity must be positive");
			}
		}

	}

}
