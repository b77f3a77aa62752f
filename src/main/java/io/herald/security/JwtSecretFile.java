package io.herald.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 secret Herald generates for itself when none is configured: 32 random bytes
 * as base64url text in {@code jwt-secret}, created readable by its owner only and reused
 * on every later start.
 */
final class JwtSecretFile {

	static final String FILE_NAME = "jwt-secret";

	private static final int RANDOM_BYTES = 32;

	private static final Logger logger = LoggerFactory.getLogger(JwtSecretFile.class);

	private static final SecureRandom random = new SecureRandom();

	private JwtSecretFile() {
	}

	/**
	 * The secret kept in {@code directory}, generated on first use; the secret is the
	 * file's text, used as its UTF-8 bytes like a configured
	 * {@code herald.security.jwt.secret}.
	 */
	static String loadOrGenerate(Path directory) {
		Path file = directory.resolve(FILE_NAME);
		try {
			if (!Files.exists(file)) {
				try {
					generate(directory, file);
					logger.info("Generated a JWT secret in {}", file.toAbsolutePath());
				}
				catch (FileAlreadyExistsException ex) {
					// Another Herald sharing the folder generated it first: use theirs.
				}
			}
			String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
			if (secret.getBytes(StandardCharsets.UTF_8).length < SecurityProperties.MIN_SECRET_BYTES) {
				throw new IllegalStateException(file.toAbsolutePath() + " holds fewer than "
						+ SecurityProperties.MIN_SECRET_BYTES + " bytes; delete it to have a new secret generated");
			}
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read or generate the JWT secret in " + directory.toAbsolutePath(),
					ex);
		}
	}

	private static void generate(Path directory, Path file) throws IOException {
		Files.createDirectories(directory);
		byte[] bytes = new byte[RANDOM_BYTES];
		random.nextBytes(bytes);
		byte[] text = Base64.getUrlEncoder().withoutPadding().encode(bytes);
		// Created with its final mode, so the secret is never readable by others, not
		// even briefly.
		Set<StandardOpenOption> createNew = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		try (FileChannel channel = FileChannel.open(file, createNew, ownerOnly(directory))) {
			channel.write(ByteBuffer.wrap(text));
			channel.force(true);
		}
	}

	private static FileAttribute<?>[] ownerOnly(Path directory) {
		if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			return new FileAttribute<?>[0];
		}
		Set<PosixFilePermission> ownerReadWrite = PosixFilePermissions.fromString("rw-------");
		return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(ownerReadWrite) };
	}

}
