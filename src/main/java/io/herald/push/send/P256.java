package io.herald.push.send;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/**
 * NIST P-256 public keys in the uncompressed form Web Push uses on the wire (a
 * {@code 0x04} byte, then x and y on 32 bytes each), converted with JDK classes only.
 */
public final class P256 {

	/** The length of an uncompressed point: {@code 0x04 || x || y}. */
	public static final int UNCOMPRESSED_LENGTH = 65;

	private static final int COORDINATE_LENGTH = 32;

	/** The curve. */
	public static final ECParameterSpec PARAMETERS = parameters();

	private P256() {
	}

	private static ECParameterSpec parameters() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK offers no P-256 curve", ex);
		}
	}

	/**
	 * The key of an uncompressed point, checked to lie on the curve: a browser's key
	 * comes from outside, and a point off the curve would leak bits of our ECDH key.
	 * @throws IllegalArgumentException if the bytes are no P-256 point
	 */
	public static ECPublicKey publicKey(byte[] uncompressed) {
		if (uncompressed.length != UNCOMPRESSED_LENGTH) {
			throw new IllegalArgumentException(
					"A P-256 public key must be an uncompressed P-256 point of 65 bytes, not " + uncompressed.length
							+ " bytes");
		}
		if (uncompressed[0] != 0x04) {
			throw new IllegalArgumentException(
					"A P-256 public key must be an uncompressed P-256 point, whose first byte is 0x04");
		}
		BigInteger x = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 1 + COORDINATE_LENGTH));
		BigInteger y = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1 + COORDINATE_LENGTH, UNCOMPRESSED_LENGTH));
		if (!onCurve(x, y)) {
			throw new IllegalArgumentException("The public key is not a point on the P-256 curve");
		}
		try {
			return (ECPublicKey) KeyFactory.getInstance("EC")
				.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMETERS));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("The public key is not a valid P-256 key", ex);
		}
	}

	/** The uncompressed point of a key: {@code 0x04 || x || y}. */
	public static byte[] uncompressed(ECPublicKey key) {
		byte[] point = new byte[UNCOMPRESSED_LENGTH];
		point[0] = 0x04;
		copyUnsigned(key.getW().getAffineX(), point, 1);
		copyUnsigned(key.getW().getAffineY(), point, 1 + COORDINATE_LENGTH);
		return point;
	}

	/** The 32-byte scalar of a private key. */
	public static byte[] scalar(ECPrivateKey key) {
		byte[] scalar = new byte[COORDINATE_LENGTH];
		copyUnsigned(key.getS(), scalar, 0);
		return scalar;
	}

	/**
	 * Whether the two keys belong together: a signature by one verifies with the other.
	 */
	public static boolean isPairOf(ECPublicKey publicKey, ECPrivateKey privateKey) {
		byte[] probe = "herald-vapid-key-check".getBytes(StandardCharsets.US_ASCII);
		try {
			Signature signer = Signature.getInstance("SHA256withECDSA");
			signer.initSign(privateKey);
			signer.update(probe);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance("SHA256withECDSA");
			verifier.initVerify(publicKey);
			verifier.update(probe);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private static void copyUnsigned(BigInteger value, byte[] target, int offset) {
		byte[] bytes = value.toByteArray();
		// BigInteger adds a sign byte or drops leading zeros: right-align on 32 bytes.
		int length = Math.min(bytes.length, COORDINATE_LENGTH);
		System.arraycopy(bytes, bytes.length - length, target, offset + COORDINATE_LENGTH - length, length);
	}

	private static boolean onCurve(BigInteger x, BigInteger y) {
		BigInteger p = ((ECFieldFp) PARAMETERS.getCurve().getField()).getP();
		if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
			return false;
		}
		BigInteger left = y.multiply(y).mod(p);
		BigInteger right = x.pow(3)
			.add(PARAMETERS.getCurve().getA().multiply(x))
			.add(PARAMETERS.getCurve().getB())
			.mod(p);
		return left.equals(right);
	}

}
