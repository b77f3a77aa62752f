package io.herald.push;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.herald.push.send.P256;

/**
 * What a browser's {@code PushSubscription.toJSON()} holds, made up for tests: an
 * endpoint on an allowed push service, a fresh P-256 public key and a random 16-byte
 * secret.
 */
final class BrowserKeys {

	private static final SecureRandom random = new SecureRandom();

	private BrowserKeys() {
	}

	/** base64url of a fresh uncompressed P-256 point. */
	static String p256dh() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return base64Url(P256.uncompressed((ECPublicKey) generator.generateKeyPair().getPublic()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** base64url of 16 random bytes. */
	static String auth() {
		byte[] secret = new byte[16];
		random.nextBytes(secret);
		return base64Url(secret);
	}

	/** A new FCM endpoint. */
	static String endpoint() {
		return "https://fcm.googleapis.com/fcm/send/" + UUID.randomUUID();
	}

	/** The JSON body registering {@code endpoint} with fresh keys for {@code filters}. */
	static Map<String, Object> registration(String endpoint, String... filters) {
		return registrationWithKeys(endpoint, p256dh(), auth(), filters);
	}

	static Map<String, Object> registrationWithKeys(String endpoint, String p256dh, String auth, String... filters) {
		return Map.of("subscription",
				Map.of("endpoint", endpoint, "expirationTime", 0, "keys", Map.of("p256dh", p256dh, "auth", auth)),
				"filters", java.util.List.of(filters));
	}

	static String base64Url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
