package io.herald.security;

/**
 * A client was refused: its token is invalid (expired, badly signed, without {@code exp},
 * from another issuer or audience, with a malformed {@code acl}), or it has none and
 * anonymous access is disabled. The message says why, never repeating the token.
 */
public class AccessRefusedException extends RuntimeException {

	public AccessRefusedException(String reason) {
		super(reason);
	}

}
