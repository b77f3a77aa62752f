package io.herald.security;

/**
 * Thrown when a token's {@code acl} claim is malformed; the message names the entry and
 * says what is wrong with it, so the whole token is refused rather than half applied.
 */
public class InvalidAclException extends RuntimeException {

	InvalidAclException(String message) {
		super(message);
	}

}
