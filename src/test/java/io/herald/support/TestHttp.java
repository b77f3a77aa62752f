package io.herald.support;

import java.net.http.HttpClient;

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
		.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newBuilder().sslContext(TestTls.trustingAll()).build()))
		.build();

	private TestHttp() {
	}

	public static ResponseEntity<String> get(String url) {
		return CLIENT.get().uri(url).retrieve().onStatus(HttpStatusCode::isError, (request, response) -> {
		}).toEntity(String.class);
	}

}
