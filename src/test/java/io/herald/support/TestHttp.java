package io.herald.support;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * An HTTP client for tests that trusts Herald's self-signed certificate and returns error
 * responses instead of throwing them.
 */
public final class TestHttp {

	private static final RestClient CLIENT = RestClient.builder()
		.requestFactory(
				new JdkClientHttpRequestFactory(HttpClient.newBuilder().sslContext(TestTls.trustingAll()).build()))
		.build();

	private TestHttp() {
	}

	public static ResponseEntity<String> get(String url) {
		return CLIENT.get().uri(url).retrieve().onStatus(HttpStatusCode::isError, (request, response) -> {
		}).toEntity(String.class);
	}

	/** {@link #get(String)} with {@code token} as the bearer token. */
	public static ResponseEntity<String> get(String url, String token) {
		return CLIENT.get()
			.uri(url)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.retrieve()
			.onStatus(HttpStatusCode::isError, (request, response) -> {
			})
			.toEntity(String.class);
	}

	/**
	 * A client for the Herald on {@code https://localhost:port}, with bounded timeouts,
	 * that returns every status rather than throwing.
	 */
	public static RestClient client(int port) {
		return builder(port).build();
	}

	/**
	 * {@link #client(int)} sending {@code token} as the bearer token with every request.
	 */
	public static RestClient client(int port, String token) {
		return builder(port).defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token)).build();
	}

	private static RestClient.Builder builder(int port) {
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
			});
	}

}
