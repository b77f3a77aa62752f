package io.herald.relay;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The relay listener holds at most {@code herald.relay.listener.max-connections}: one
 * more is answered 503, and a place that frees up can be taken again.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.relay.listener.max-connections=2")
@OpenTopics
class RelayListenerLimitIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void handshakeBeyondTheLimitIsRefusedWith503UntilAPlaceFreesUp() {
		URI relay = RelayEndpoint.LISTENER.uri(this.context);
		MqttWebSocketClient first = MqttWebSocketClient.connect(relay, "mqtt");
		MqttWebSocketClient second = MqttWebSocketClient.connect(relay, "mqtt");
		try {
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> MqttWebSocketClient.connect(relay, "mqtt"))
				.havingCause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(503));

			first.close();
			MqttWebSocketClient third = await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> MqttWebSocketClient.connect(relay, "mqtt"), (client) -> client != null);
			third.close();
		}
		finally {
			second.close();
		}
	}

}
