package io.herald.system;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedCertificateTests {

	@TempDir
	Path directory;

	@Test
	void generatesACertificateForLocalhostOnFirstUse() throws Exception {
		SelfSignedCertificate.Result result = SelfSignedCertificate.obtain(this.directory.resolve("tls"));

		assertThat(result.generated()).isTrue();
		X509Certificate certificate = read(result.files().certificate());
		assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
		assertThat(certificate.getSubjectAlternativeNames()).extracting((name) -> (Object) name.get(1))
			.containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
		assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(300, ChronoUnit.DAYS));
		assertThat(Files.readString(result.files().privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(result.files().privateKey())))
			.isEqualTo("rw-------");
	}

	@Test
	void reusesTheCertificateOnLaterStarts() throws Exception {
		SelfSignedCertificate first = SelfSignedCertificate.obtain(this.directory).files();
		String pem = Files.readString(first.certificate());

		SelfSignedCertificate.Result again = SelfSignedCertificate.obtain(this.directory);

		assertThat(again.generated()).isFalse();
		assertThat(Files.readString(again.files().certificate())).isEqualTo(pem);
	}

	@Test
	void replacesAnUnreadableCertificate() throws Exception {
		Files.writeString(this.directory.resolve("localhost.crt"), "not a certificate");
		Files.writeString(this.directory.resolve("localhost.key"), "not a key");

		SelfSignedCertificate.Result result = SelfSignedCertificate.obtain(this.directory);

		assertThat(result.generated()).isTrue();
		assertThat(read(result.files().certificate()).getSubjectX500Principal().getName()).contains("localhost");
	}

	private static X509Certificate read(Path file) throws Exception {
		try (InputStream in = Files.newInputStream(file)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
