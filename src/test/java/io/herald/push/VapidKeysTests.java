package io.herald.push;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import io.herald.push.send.P256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The VAPID key pair: generated once into a file only its owner reads, reused, or taken
 * from the configuration, and checked either way.
 */
class VapidKeysTests {

	@TempDir
	Path directory;

	@Test
	void generatedPairIsKeptOwnerOnlyAndReusedOnTheNextStart() throws Exception {
		Path file = this.directory.resolve("data/vapid-keys");

		VapidKeys first = VapidKeys.load(vapid(null, null, file));
		VapidKeys second = VapidKeys.load(vapid(null, null, file));

		assertThat(file).exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(second.publicKeyBase64Url()).isEqualTo(first.publicKeyBase64Url());
		assertThat(second.privateKey().getS()).isEqualTo(first.privateKey().getS());
		assertThat(P256.isPairOf(second.publicKey(), second.privateKey())).isTrue();
		byte[] point = Base64.getUrlDecoder().decode(first.publicKeyBase64Url());
		assertThat(point).hasSize(65);
		assertThat(point[0]).isEqualTo((byte) 4);
		assertThat(first.subject()).isEqualTo("mailto:push@example.com");
	}

	@Test
	void configuredPairIsUsedAndNoFileIsWritten() {
		VapidKeys generated = VapidKeys.load(vapid(null, null, this.directory.resolve("generated")));
		String privateText = BrowserKeys.base64Url(P256.scalar(generated.privateKey()));
		Path unused = this.directory.resolve("unused");

		VapidKeys configured = VapidKeys.load(vapid(generated.publicKeyBase64Url(), privateText, unused));

		assertThat(configured.publicKeyBase64Url()).isEqualTo(generated.publicKeyBase64Url());
		assertThat(configured.privateKey().getS()).isEqualTo(generated.privateKey().getS());
		assertThat(unused).doesNotExist();
		assertThat(configured.toString()).doesNotContain(privateText);
	}

	@Test
	void mismatchedOrMalformedPairIsRefusedWithoutShowingTheKey() {
		VapidKeys one = VapidKeys.load(vapid(null, null, this.directory.resolve("one")));
		VapidKeys other = VapidKeys.load(vapid(null, null, this.directory.resolve("other")));
		String otherPrivate = BrowserKeys.base64Url(P256.scalar(other.privateKey()));

		assertThatIllegalStateException()
			.isThrownBy(() -> VapidKeys.load(vapid(one.publicKeyBase64Url(), otherPrivate, this.directory)))
			.withMessageContaining("not that of the private key")
			.withMessageNotContaining(otherPrivate);
		assertThatIllegalStateException()
			.isThrownBy(() -> VapidKeys.load(vapid(one.publicKeyBase64Url(), "c2hvcnQ", this.directory)))
			.withMessageContaining("32-byte");
		assertThatIllegalStateException()
			.isThrownBy(() -> VapidKeys.load(vapid(BrowserKeys.base64Url(new byte[65]), otherPrivate, this.directory)))
			.withMessageContaining("uncompressed P-256 point");
	}

	@Test
	void damagedKeyFileIsRefused() throws Exception {
		Path file = this.directory.resolve("vapid-keys");
		Files.writeString(file, "just one line\n");

		assertThatIllegalStateException().isThrownBy(() -> VapidKeys.load(vapid(null, null, file)))
			.withMessageContaining("two lines");
	}

	private static PushProperties.Vapid vapid(String publicKey, String privateKey, Path file) {
		return new PushProperties.Vapid(publicKey, privateKey, "mailto:push@example.com", file);
	}

}
