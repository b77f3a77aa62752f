package io.herald.system;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1},
 * kept as PEM files and reused until it is about to expire.
 *
 * @param certificate the PEM certificate file
 * @param privateKey the PEM private key file
 */
record SelfSignedCertificate(Path certificate, Path privateKey) {

	private static final Duration VALIDITY = Duration.ofDays(365);

	private static final Duration RENEW_BEFORE = Duration.ofDays(7);

	/**
	 * The certificate in {@code directory}, generated first if missing or close to
	 * expiry.
	 * @return the certificate, and whether it was generated just now
	 */
	static Result obtain(Path directory) {
		SelfSignedCertificate files = new SelfSignedCertificate(directory.resolve("localhost.crt"),
				directory.resolve("localhost.key"));
		if (files.usable()) {
			return new Result(files, false);
		}
		files.generate();
		return new Result(files, true);
	}

	private boolean usable() {
		if (!Files.isReadable(this.certificate) || !Files.isReadable(this.privateKey)) {
			return false;
		}
		try (var in = Files.newInputStream(this.certificate)) {
			X509Certificate existing = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(in);
			return existing.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
		}
		catch (IOException | GeneralSecurityException ex) {
			return false;
		}
	}

	private void generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair keyPair = generator.generateKeyPair();
			X509Certificate certificate = sign(keyPair);
			Files.createDirectories(this.certificate.getParent());
			writePrivate(this.privateKey, pem(new JcaPKCS8Generator(keyPair.getPrivate(), null)));
			Files.writeString(this.certificate, pem(certificate));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to write the self-signed certificate to "
					+ this.certificate.getParent() + " (set herald.tls.self-signed-directory)", ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Failed to generate a self-signed certificate", ex);
		}
	}

	private static X509Certificate sign(KeyPair keyPair)
			throws OperatorCreationException, GeneralSecurityException, IOException {
		X500Name subject = new X500Name("CN=localhost, O=Herald self-signed");
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
				new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
				Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
						new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
						new GeneralName(GeneralName.iPAddress, "::1") }));
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
	}

	private static String pem(Object object) throws IOException {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(object);
		}
		return out.toString();
	}

	private static void writePrivate(Path file, String content) throws IOException {
		Files.deleteIfExists(file);
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			Files.createFile(file);
		}
		Files.writeString(file, content);
	}

	/**
	 * The certificate files, and whether they were generated by this call.
	 */
	record Result(SelfSignedCertificate files, boolean generated) {
	}

}
