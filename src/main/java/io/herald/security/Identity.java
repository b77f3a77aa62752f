package io.herald.security;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who a client is, as far as Herald knows: the subject of a verified token, or an
 * anonymous client, and the topic rights that come with it.
 *
 * @param subject the token's {@code sub}, or {@value #ANONYMOUS} for a client without a
 * token
 * @param expiresAt when the token expires; {@code null} for an anonymous client
 * @param acl the token's {@code acl} claim as decoded from JSON; for an identity Herald
 * makes itself (anonymous, or with security disabled) the {@link TopicRights} it has
 * @param anonymous whether the client came without a token
 */
public record Identity(String subject, @Nullable Instant expiresAt, @Nullable Object acl, boolean anonymous) {

	/** The subject of clients without a token. */
	public static final String ANONYMOUS = "anonymous";

	/**
	 * The topic rights of this identity for an MQTT session with {@code clientId}
	 * ({@code null} outside MQTT): a token's are its {@code acl} claim's alone, none when
	 * it has no such claim.
	 * @throws InvalidAclException when the {@code acl} claim is malformed
	 */
	public TopicRights rights(@Nullable String clientId) {
		if (this.acl instanceof TopicRights fixed) {
			return fixed;
		}
		if (this.acl == null) {
			return TopicRights.none();
		}
		return TopicRights.fromAclClaim(this.acl, this.subject, clientId);
	}

	static Identity of(Jwt jwt) {
		String subject = jwt.getSubject();
		return new Identity((subject != null) ? subject : "", jwt.getExpiresAt(), jwt.getClaim(TokenMinter.ACL_CLAIM),
				false);
	}

	static Identity anonymous(TopicRights rights) {
		return new Identity(ANONYMOUS, null, rights, true);
	}

}
