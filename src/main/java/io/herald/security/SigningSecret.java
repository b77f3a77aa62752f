package io.herald.security;

import org.jspecify.annotations.Nullable;

/**
 * The HS256 secret Herald signs and verifies tokens with, configured or generated; absent
 * when tokens come from an identity provider's JWK set.
 *
 * @param value the secret, used as its UTF-8 bytes
 * @param generated whether Herald generated it into its data directory
 */
record SigningSecret(@Nullable String value, boolean generated) {

	static SigningSecret of(SecurityProperties properties) {
		if (properties.jwt().jwkSetUri() != null) {
			return new SigningSecret(null, false);
		}
		if (properties.jwt().secret() != null) {
			return new SigningSecret(properties.jwt().secret(), false);
		}
		return new SigningSecret(JwtSecretFile.loadOrGenerate(properties.dataDirectory()), true);
	}

	@Override
	public String toString() {
		// Never the secret itself, wherever a record's text may end up.
		return "SigningSecret[" + ((this.value != null) ? (this.generated ? "generated" : "configured") : "none") + "]";
	}

}
