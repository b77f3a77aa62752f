package io.herald.push;

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
import java.security.spec.EllipticCurve;
import java.util.Arrays;

/**
 * NIST P-256 keys in the raw forms Web Push uses (the 65-byte uncompressed point, the
 * 32-byte scalar), read and written with the JDK's own EC classes.
 */
final class P256 {

	/** Bytes of an uncompressed point: 0x04, then x and y. */
	static final int POINT_BYTES = 65;

	private static final int COORDINATE_BYTES = 32;

	private static final byte UNCOMPRESSED = 0x04;

	private static final ECParameterSpec PARAMETERS = lookUpParameters();

	private P256() {
	}

	static ECParameterSpec parameters() {
		return PARAMETERS;
	}

	/**
	 * The public key of an uncompressed point.
	 * @throws IllegalArgumentException when the bytes are not a point on P-256
	 */
	static ECPublicKey decodePoint(byte[] bytes) {
		if (bytes.length != POINT_BYTES || bytes[0] != UNCOMPRESSED) {
			throw new IllegalArgumentException("is not an uncompressed P-256 point (65 bytes starting with 0x04)");
		}
		BigInteger x = new BigInteger(1, Arrays.copyOfRange(bytes, 1, 1 + COORDINATE_BYTES));
		BigInteger y = new BigInteger(1, Arrays.copyOfRange(bytes, 1 + COORDINATE_BYTES, POINT_BYTES));
		if (!isOnCurve(x, y)) {
			throw new IllegalArgumentException("is not a point on the P-256 curve");
		}
		try {
			return (ECPublicKey) KeyFactory.getInstance("EC")
				.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMETERS));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("is not a P-256 public key: " + ex.getMessage(), ex);
		}
	}

	/** The uncompressed point of {@code key}. */
	static byte[] encode(ECPublicKey key) {
		byte[] point = new byte[POINT_BYTES];
		point[0] = UNCOMPRESSED;
		copyUnsigned(key.getW().getAffineX(), point, 1);
		copyUnsigned(key.getW().getAffineY(), point, 1 + COORDINATE_BYTES);
		return point;
	}

	/** The 32-byte scalar of {@code key}. */
	static byte[] scalar(ECPrivateKey key) {
		byte[] scalar = new byte[COORDINATE_BYTES];
		copyUnsigned(key.getS(), scalar, 0);
		return scalar;
	}

	/**
	 * Whether the two keys belong together: a signature by one verifies with the other.
	 */
	static boolean isPairOf(ECPublicKey publicKey, ECPrivateKey privateKey) {
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

	private static boolean isOnCurve(BigInteger x, BigInteger y) {
		EllipticCurve curve = PARAMETERS.getCurve();
		BigInteger p = ((ECFieldFp) curve.getField()).getP();
		if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
			return false;
		}
		BigInteger left = y.multiply(y).mod(p);
		BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
		return left.equals(right);
	}

	private static void copyUnsigned(BigInteger value, byte[] target, int offset) {
		byte[] bytes = value.toByteArray();
		int start = Math.max(0, bytes.length - COORDINATE_BYTES);
		int length = bytes.length - start;
		System.arraycopy(bytes, start, target, offset + COORDINATE_BYTES - length, length);
	}

	private static ECParameterSpec lookUpParameters() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK has no P-256 curve", ex);
		}
	}

}
