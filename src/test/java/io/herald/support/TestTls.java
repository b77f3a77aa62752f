package io.herald.support;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An {@link SSLContext} for test clients that accepts the self-signed certificate Herald
 * generates; never used outside tests.
 */
public final class TestTls {

	private TestTls() {
	}

	public static SSLContext trustingAll() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new TrustingAll() }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Failed to create the test TLS context", ex);
		}
	}

	private static final class TrustingAll implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
