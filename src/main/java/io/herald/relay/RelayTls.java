package io.herald.relay;

import java.util.List;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * The relay listener's TLS: the web server's certificate and options
 * ({@code server.ssl.*}, or the bundle it names, followed when the bundle reloads),
 * served by OpenSSL (BoringSSL) when its native library loads, else by the JDK.
 */
final class RelayTls {

	private RelayTls() {
	}

	/** The server TLS context, or {@code null} when the web server serves plain HTTP. */
	static SslContext serverContext(Ssl ssl, SslBundles bundles) {
		if (!Ssl.isEnabled(ssl)) {
			return null;
		}
		return serverContext(WebServerSslBundle.get(ssl, bundles));
	}

	/** The server TLS context for {@code bundle}. */
	static SslContext serverContext(SslBundle bundle) {
		SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
			.sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
		SslOptions options = bundle.getOptions();
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			builder.ciphers(List.of(options.getCiphers()));
		}
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Failed to create the relay listener's TLS context", ex);
		}
	}

}
