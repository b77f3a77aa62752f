package io.herald.security;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Refuses a token whose {@code acl} claim cannot be read as topic rights, so that a
 * malformed claim is an invalid token on every path, never a token with fewer rights.
 */
final class AclClaimValidator implements OAuth2TokenValidator<Jwt> {

	@Override
	public OAuth2TokenValidatorResult validate(Jwt jwt) {
		if (jwt.getSubject() == null) {
			// Refused for its missing subject already; rights cannot be read without one.
			return OAuth2TokenValidatorResult.success();
		}
		try {
			Identity.of(jwt).rights(null);
			return OAuth2TokenValidatorResult.success();
		}
		catch (InvalidAclException ex) {
			return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
					"The acl claim is not valid: " + ex.getMessage(), null));
		}
	}

}
