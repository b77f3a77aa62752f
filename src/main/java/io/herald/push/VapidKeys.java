package io.herald.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.herald.push.send.P256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's VAPID key pair (RFC 8292) on P-256: configured as base64url text, or generated
 * on first start into a file readable by its owner only and reused afterwards. The
 * private key is never logged nor shown by {@link #toString()}.
 */
public final class VapidKeys {

	private static final Logger logger = LoggerFactory.getLogger(VapidKeys.class);

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final int SCALAR_BYTES = 32;

	private final ECPublicKey publicKey;

	private final ECPrivateKey privateKey;

	private final String subject;

	private final String publicKeyText;

	private VapidKeys(ECPublicKey publicKey, ECPrivateKey privateKey, String subject) {
		this.publicKey = publicKey;
		this.privateKey = privateKey;
		this.subject = subject;
		this.publicKeyText = BASE64URL.encodeToString(P256.uncompressed(publicKey));
	}

	/**
	 * The configured pair, or the one kept in the key file, generated there first when
	 * the file does not exist yet.
	 */
	public static VapidKeys load(PushProperties.Vapid properties) {
		if (properties.publicKey() != null && properties.privateKey() != null) {
			return parse(properties.publicKey(), properties.privateKey(), properties.subject(),
					"herald.push.vapid.public-key/private-key");
		}
		Path file = properties.keyFile();
		try {
			if (!Files.exists(file)) {
				try {
					generate(file);
					logger.info("Generated a VAPID key pair in {}", file.toAbsolutePath());
				}
				catch (FileAlreadyExistsException ex) {
					// Another Herald sharing the folder generated it first: use theirs.
				}
			}
			List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII)
				.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty())
				.toList();
			if (lines.size() != 2) {
				throw new IllegalStateException(file.toAbsolutePath()
						+ " must hold two lines, the public and the private key; delete it to have a new pair generated");
			}
			return parse(lines.get(0), lines.get(1), properties.subject(), file.toAbsolutePath().toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read or generate the VAPID key pair in " + file.toAbsolutePath(),
					ex);
		}
	}

	public ECPublicKey publicKey() {
		return this.publicKey;
	}

	public ECPrivateKey privateKey() {
		return this.privateKey;
	}

	/** The contact push services see in each VAPID token ({@code sub}). */
	public String subject() {
		return this.subject;
	}

	/**
	 * The public key as browsers take it ({@code applicationServerKey}): base64url of the
	 * uncompressed point, without padding.
	 */
	public String publicKeyBase64Url() {
		return this.publicKeyText;
	}

	@Override
	public String toString() {
		return "VapidKeys[publicKey=" + this.publicKeyText + ", subject=" + this.subject + "]";
	}

	private static VapidKeys parse(String publicText, String privateText, String subject, String source) {
		ECPublicKey publicKey;
		ECPrivateKey privateKey;
		try {
			publicKey = P256.publicKey(Base64.getUrlDecoder().decode(publicText.strip()));
			byte[] scalar = Base64.getUrlDecoder().decode(privateText.strip());
			if (scalar.length != SCALAR_BYTES) {
				throw new IllegalArgumentException("the private key is not a 32-byte P-256 scalar");
			}
			ECParameterSpec curve = P256.PARAMETERS;
			privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
				.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), curve));
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			// The message names the source, never the key's text.
			throw new IllegalStateException("Invalid VAPID key pair in " + source + ": " + ex.getMessage());
		}
		if (!P256.isPairOf(publicKey, privateKey)) {
			throw new IllegalStateException(
					"Invalid VAPID key pair in " + source + ": the public key is not that of the private key");
		}
		return new VapidKeys(publicKey, privateKey, subject);
	}

	private static void generate(Path file) throws IOException {
		KeyPair pair;
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			pair = generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK cannot generate P-256 keys", ex);
		}
		String text = BASE64URL.encodeToString(P256.uncompressed((ECPublicKey) pair.getPublic())) + "\n"
				+ BASE64URL.encodeToString(P256.scalar((ECPrivateKey) pair.getPrivate())) + "\n";
		Path directory = file.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		// Created with its final mode, so the private key is never readable by others.
		Set<StandardOpenOption> createNew = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		try (FileChannel channel = FileChannel.open(file, createNew, ownerOnly(directory))) {
			channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
			channel.force(true);
		}
	}

	private static FileAttribute<?>[] ownerOnly(Path directory) {
		if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			return new FileAttribute<?>[0];
		}
		return new FileAttribute<?>[] {
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) };
	}

}
