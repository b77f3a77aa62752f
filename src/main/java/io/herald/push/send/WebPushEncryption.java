package io.herald.push.send;

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
 * Encrypts a push message for one browser subscription as RFC 8291 says: an ephemeral
 * ECDH P-256 key agreed with the subscription's {@code p256dh} key and mixed with its
 * {@code auth} secret through HKDF-SHA-256, then the {@code aes128gcm} content coding of
 * RFC 8188 in a single record.
 * <p>
 * The body is the 86-byte coding header (salt, record size, key id length, the ephemeral
 * public key as key id) followed by the record: the plaintext, the {@code 0x02} delimiter
 * of a last record, no padding, and the 16-byte AES-GCM tag. JDK crypto only.
 */
public final class WebPushEncryption {

	/** The record size announced in the header, the one RFC 8291 uses. */
	static final int RECORD_SIZE = 4096;

	/** Salt, record size, key id length and a 65-byte key id. */
	static final int HEADER_LENGTH = 16 + 4 + 1 + P256.UNCOMPRESSED_LENGTH;

	private static final int TAG_LENGTH = 16;

	/**
	 * The largest body push services must accept (RFC 8030 section 7.2, RFC 8291 section
	 * 4).
	 */
	public static final int MAX_BODY = 4096;

	/**
	 * The largest plaintext that fits one {@link #MAX_BODY} body: 4096 less the 86-byte
	 * header, the delimiter byte and the 16-byte tag, so 3993 bytes.
	 */
	public static final int MAX_PLAINTEXT = MAX_BODY - HEADER_LENGTH - 1 - TAG_LENGTH;

	private static final byte LAST_RECORD_DELIMITER = 0x02;

	private static final byte[] KEY_INFO = info("WebPush: info");

	private static final byte[] CEK_INFO = info("Content-Encoding: aes128gcm");

	private static final byte[] NONCE_INFO = info("Content-Encoding: nonce");

	private final SecureRandom random;

	public WebPushEncryption() {
		this(new SecureRandom());
	}

	WebPushEncryption(SecureRandom random) {
		this.random = random;
	}

	/**
	 * Encrypt for the subscription whose {@code p256dh} key is given raw (65 bytes,
	 * uncompressed).
	 * @throws IllegalArgumentException if the key is no P-256 point, the secret not 16
	 * bytes, or the plaintext longer than {@link #MAX_PLAINTEXT}
	 */
	public byte[] encrypt(byte[] p256dh, byte[] authSecret, byte[] plaintext) {
		return encrypt(P256.publicKey(p256dh), authSecret, plaintext);
	}

	/**
	 * Encrypt for the subscription with this {@code p256dh} key.
	 * @throws IllegalArgumentException if the secret is not 16 bytes or the plaintext
	 * longer than {@link #MAX_PLAINTEXT}
	 */
	public byte[] encrypt(ECPublicKey p256dh, byte[] authSecret, byte[] plaintext) {
		byte[] salt = new byte[16];
		this.random.nextBytes(salt);
		return encrypt(p256dh, authSecret, plaintext, salt, ephemeralKeys());
	}

	/**
	 * Encrypt with a given salt and server key pair, to reproduce RFC 8291 Appendix A.
	 */
	byte[] encrypt(ECPublicKey p256dh, byte[] authSecret, byte[] plaintext, byte[] salt, KeyPair serverKeys) {
		if (authSecret.length != 16) {
			throw new IllegalArgumentException("The auth secret must be 16 bytes, not " + authSecret.length);
		}
		if (plaintext.length > MAX_PLAINTEXT) {
			throw new IllegalArgumentException(
					"A push message holds at most " + MAX_PLAINTEXT + " bytes of plaintext, not " + plaintext.length);
		}
		try {
			byte[] serverPublic = P256.uncompressed((ECPublicKey) serverKeys.getPublic());
			KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
			agreement.init(serverKeys.getPrivate());
			agreement.doPhase(p256dh, true);
			byte[] sharedSecret = agreement.generateSecret();
			byte[] keyInfo = concat(KEY_INFO, P256.uncompressed(p256dh), serverPublic);
			byte[] ikm = expand(extract(authSecret, sharedSecret), keyInfo, 32);
			byte[] prk = extract(salt, ikm);
			byte[] contentKey = expand(prk, CEK_INFO, 16);
			byte[] nonce = expand(prk, NONCE_INFO, 12);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
					new GCMParameterSpec(TAG_LENGTH * 8, nonce));
			byte[] record = cipher.doFinal(concat(plaintext, new byte[] { LAST_RECORD_DELIMITER }));
			return ByteBuffer.allocate(HEADER_LENGTH + record.length)
				.put(salt)
				.putInt(RECORD_SIZE)
				.put((byte) serverPublic.length)
				.put(serverPublic)
				.put(record)
				.array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Failed to encrypt a push message", ex);
		}
	}

	private static KeyPair ephemeralKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(P256.PARAMETERS);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Failed to generate an ephemeral P-256 key", ex);
		}
	}

	/** HKDF-Extract (RFC 5869): HMAC-SHA-256 keyed with the salt. */
	static byte[] extract(byte[] salt, byte[] inputKey) throws GeneralSecurityException {
		return hmac(salt, inputKey);
	}

	/** HKDF-Expand (RFC 5869) for at most one hash length: the first block, cut. */
	static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
		return Arrays.copyOf(hmac(prk, concat(info, new byte[] { 0x01 })), length);
	}

	private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return mac.doFinal(data);
	}

	/** An info string of RFC 8291: its ASCII bytes and a zero byte. */
	private static byte[] info(String label) {
		return concat(label.getBytes(StandardCharsets.US_ASCII), new byte[1]);
	}

	private static byte[] concat(byte[]... parts) {
		ByteBuffer buffer = ByteBuffer.allocate(Arrays.stream(parts).mapToInt((part) -> part.length).sum());
		for (byte[] part : parts) {
			buffer.put(part);
		}
		return buffer.array();
	}

}
