package io.herald.support;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A {@link RestClient} for a Herald started by a test: https on localhost, trusting the
 * self-signed certificate, bounded timeouts, and every status returned rather than thrown.
 */
public final class TestHttp {

	private TestHttp() {
	}

	public static RestClient client(int port) {
		HttpClient http = HttpClient.newBuilder()
			.sslContext(TestTls.trustingAll())
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
		requestFactory.setReadTimeout(Duration.ofSeconds(30));
		return RestClient.builder()
			.baseUrl("https://localhost:" + port)
			.requestFactory(requestFactory)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

}
