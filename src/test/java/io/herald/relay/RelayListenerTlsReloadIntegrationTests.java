package io.herald.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.OpenTopics;
import io.herald.support.TestTls;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay listener serves the web server's SSL bundle, and a renewed bundle to the
 * connections that follow.
 */
@HeraldIntegrationTest
@OpenTopics
class RelayListenerTlsReloadIntegrationTests {

	private static final Path DIRECTORY = Path.of("target", "relay-tls");

	private static final String PASSWORD = "changeit";

	@Autowired
	private RelayListener listener;

	@Autowired
	private SslBundleRegistry bundles;

	@DynamicPropertySource
	static void bundle(DynamicPropertyRegistry registry) throws Exception {
		Path first = keyStore("first");
		registry.add("server.ssl.bundle", () -> "web");
		registry.add("spring.ssl.bundle.jks.web.keystore.location", () -> "file:" + first.toAbsolutePath());
		registry.add("spring.ssl.bundle.jks.web.keystore.password", () -> PASSWORD);
		registry.add("spring.ssl.bundle.jks.web.keystore.type", () -> "PKCS12");
	}

	@Test
	void renewedBundleReachesNewConnections() throws Exception {
		assertThat(serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=first");

		Path second = keyStore("second");
		this.bundles.updateBundle("web", SslBundle.of(new JksSslStoreBundle(
				new JksSslStoreDetails("PKCS12", null, "file:" + second.toAbsolutePath(), PASSWORD), null)));

		assertThat(serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=second");
	}

	private X509Certificate serverCertificate() throws IOException {
		try (SSLSocket socket = (SSLSocket) TestTls.trustingAll()
			.getSocketFactory()
			.createSocket("localhost", this.listener.port())) {
			socket.startHandshake();
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	/**
	 * A PKCS12 key store with a fresh self-signed certificate for {@code CN=name}, made
	 * by keytool.
	 */
	private static Path keyStore(String name) throws IOException, InterruptedException {
		Files.createDirectories(DIRECTORY);
		Path store = DIRECTORY.resolve(name + ".p12");
		Files.deleteIfExists(store);
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "herald", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12",
				"-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.exitValue()).as(output).isZero();
		return store;
	}

}
