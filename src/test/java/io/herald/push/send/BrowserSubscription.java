package io.herald.push.send;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push subscription as a browser makes one (a P-256 key pair and a 16-byte auth
 * secret), and the browser's side of RFC 8291: decrypting what a push service hands over.
 * Written apart from {@link WebPushEncryption} so that the two check each other.
 */
final class BrowserSubscription {

	private final KeyPair keys;

	private final byte[] auth;

	BrowserSubscription(KeyPair keys, byte[] auth) {
		this.keys = keys;
		this.auth = auth;
	}

	static BrowserSubscription generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(P256.PARAMETERS);
			byte[] auth = new byte[16];
			new SecureRandom().nextBytes(auth);
			return new BrowserSubscription(generator.generateKeyPair(), auth);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	byte[] p256dh() {
		return P256.uncompressed((ECPublicKey) this.keys.getPublic());
	}

	byte[] auth() {
		return this.auth.clone();
	}

	PushTarget target(String id, URI endpoint) {
		return new PushTarget(id, endpoint, p256dh(), auth());
	}

	/**
	 * The plaintext of an {@code aes128gcm} body of one record.
	 * @throws GeneralSecurityException if it was not encrypted for this subscription
	 */
	byte[] decrypt(byte[] body) throws GeneralSecurityException {
		ByteBuffer in = ByteBuffer.wrap(body);
		byte[] salt = new byte[16];
		in.get(salt);
		int recordSize = in.getInt();
		byte[] serverKey = new byte[in.get() & 0xff];
		in.get(serverKey);
		byte[] record = new byte[in.remaining()];
		in.get(record);
		if (record.length > recordSize) {
			throw new GeneralSecurityException("A record of " + record.length + " bytes exceeds rs " + recordSize);
		}
		KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
		agreement.init(this.keys.getPrivate());
		agreement.doPhase(P256.publicKey(serverKey), true);
		byte[] authKey = hmac(this.auth, agreement.generateSecret());
		byte[] ikm = hmac(authKey, join(ascii("WebPush: info\0"), p256dh(), serverKey, new byte[] { 1 }));
		byte[] prk = hmac(salt, ikm);
		byte[] key = Arrays.copyOf(hmac(prk, ascii("Content-Encoding: aes128gcm\0\1")), 16);
		byte[] nonce = Arrays.copyOf(hmac(prk, ascii("Content-Encoding: nonce\0\1")), 12);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
		byte[] padded = cipher.doFinal(record);
		int end = padded.length - 1;
		while (end >= 0 && padded[end] == 0) {
			end--;
		}
		if (end < 0 || padded[end] != 2) {
			throw new GeneralSecurityException("The record lacks the last-record delimiter");
		}
		return Arrays.copyOf(padded, end);
	}

	private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return mac.doFinal(data);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] join(byte[]... parts) {
		ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt((part) -> part.length).sum());
		Arrays.stream(parts).forEach(out::put);
		return out.array();
	}

}
