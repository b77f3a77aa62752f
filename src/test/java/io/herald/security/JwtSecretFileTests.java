package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class JwtSecretFileTests {

	@TempDir
	Path directory;

	@Test
	void generatesThirtyTwoRandomBytesAsBase64UrlReadableByTheOwnerOnly() throws Exception {
		Path data = this.directory.resolve("data");

		String secret = JwtSecretFile.loadOrGenerate(data);

		Path file = data.resolve("jwt-secret");
		assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(secret);
		assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
		assertThat(secret).matches("[A-Za-z0-9_-]{43}");
		// Herald runs on POSIX systems (Linux, the container image): the mode must be
		// checked, never skipped.
		assertThat(file.getFileSystem().supportedFileAttributeViews()).contains("posix");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void reusesTheSecretOnLaterStarts() throws Exception {
		String first = JwtSecretFile.loadOrGenerate(this.directory);
		long modified = Files.getLastModifiedTime(this.directory.resolve("jwt-secret")).toMillis();

		String second = JwtSecretFile.loadOrGenerate(this.directory);

		assertThat(second).isEqualTo(first);
		assertThat(Files.getLastModifiedTime(this.directory.resolve("jwt-secret")).toMillis()).isEqualTo(modified);
	}

	@Test
	void generatesADifferentSecretInAnotherFolder() {
		assertThat(JwtSecretFile.loadOrGenerate(this.directory.resolve("a")))
			.isNotEqualTo(JwtSecretFile.loadOrGenerate(this.directory.resolve("b")));
	}

	@Test
	void refusesAFileTooShortToBeASecret() throws Exception {
		Files.writeString(this.directory.resolve("jwt-secret"), "short\n");

		assertThatIllegalStateException().isThrownBy(() -> JwtSecretFile.loadOrGenerate(this.directory))
			.withMessageContaining("fewer than 32 bytes");
	}

}
