package io.herald.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.TestTls;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * One client address may hold at most {@code herald.relay.max-connections-per-address},
 * counted across both endpoints.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.relay.max-connections-per-address=2")
class RelayAddressLimitIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void handshakeBeyondTheLimitIsAnswered429OnEitherEndpointUntilOneCloses() {
		MqttWebSocketClient first = MqttWebSocketClient.connect(RelayEndpoint.WEB_SERVER.uri(this.context), "mqtt");
		MqttWebSocketClient second = MqttWebSocketClient.connect(RelayEndpoint.LISTENER.uri(this.context), "mqtt");
		try {
			for (RelayEndpoint endpoint : RelayEndpoint.values()) {
				assertThat(refusal(endpoint.uri(this.context))).as(endpoint.name()).isEqualTo(429);
			}
			first.close();
			MqttWebSocketClient third = awaitConnect(RelayEndpoint.LISTENER.uri(this.context));
			third.abort();
		}
		finally {
			first.abort();
			second.abort();
		}
	}

	private static MqttWebSocketClient awaitConnect(URI uri) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (true) {
			try {
				return MqttWebSocketClient.connect(uri, "mqtt");
			}
			catch (CompletionException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
		}
	}

	private static int refusal(URI uri) {
		Throwable failure = catchThrowable(() -> HttpClient.newBuilder()
			.sslContext(TestTls.trustingAll())
			.build()
			.newWebSocketBuilder()
			.subprotocols("mqtt")
			.connectTimeout(Duration.ofSeconds(10))
			.buildAsync(uri, new WebSocket.Listener() {
			})
			.orTimeout(15, TimeUnit.SECONDS)
			.join());
		assertThat(failure).hasCauseInstanceOf(WebSocketHandshakeException.class);
		return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
	}

}
