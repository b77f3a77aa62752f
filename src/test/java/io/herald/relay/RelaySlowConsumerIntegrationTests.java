package io.herald.relay;

import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herald.broker.BrokerEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.NettyLeakLog;
import io.herald.support.OpenTopics;
import io.herald.support.PahoClients;
import io.herald.support.TestHttp;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser that stops reading holds back only its own broker connection: fifty others
 * keep receiving everything, and Herald stays healthy. Plain ws keeps the CPU on
 * relaying, not TLS.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "server.ssl.enabled=false")
@OpenTopics
class RelaySlowConsumerIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(RelaySlowConsumerIntegrationTests.class);

	private static final int FAST_SUBSCRIBERS = 50;

	private static final int MESSAGES = 100;

	/** 6.4 MB in all: more than a stalled socket's kernel buffers can absorb. */
	private static final int PAYLOAD_SIZE = 64 * 1024;

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerEndpoint broker;

	@Autowired
	private RelayRegistry registry;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void stalledBrowserDoesNotHoldBackOthers(RelayEndpoint endpoint) throws Exception {
		URI relay = endpoint.uri(this.context);
		List<MqttWebSocketClient> fast = new ArrayList<>();
		MqttClient publisher = null;
		NettyLeakLog leaks = NettyLeakLog.capture();
		try (Socket stalled = StalledSubscriber.connect(relay, "stalled")) {
			for (int i = 0; i < FAST_SUBSCRIBERS; i++) {
				fast.add(subscriber(relay, "fast-" + i));
			}
			publisher = PahoClients.connect(this.broker.uri().toString(), MqttConnectOptions.MQTT_VERSION_3_1_1);
			long start = System.nanoTime();
			for (int i = 0; i < MESSAGES; i++) {
				publisher.publish("/news/europe/sport", new byte[PAYLOAD_SIZE], 0, false);
			}

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				for (MqttWebSocketClient client : fast) {
					assertThat(publishes(client)).isEqualTo(MESSAGES);
				}
			});
			logger.info("{} subscribers received {} x {} bytes in {} ms while one subscriber stalled", FAST_SUBSCRIBERS,
					MESSAGES, PAYLOAD_SIZE, (System.nanoTime() - start) / 1_000_000);

			await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.awaitingBrowser() == 1);
			assertThat(TestHttp.get("http://localhost:" + this.port + "/actuator/health").getBody())
				.contains("\"status\":\"UP\"");
		}
		finally {
			PahoClients.closeQuietly(publisher);
			fast.forEach(MqttWebSocketClient::close);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.registry.size() == 0);
		// The stalled browser closed with a chunk still in flight: that buffer too was
		// released.
		assertThat(leaks.collect()).isEmpty();
		leaks.close();
	}

	private MqttWebSocketClient subscriber(URI relay, String clientId) {
		MqttWebSocketClient client = MqttWebSocketClient.connect(relay, "mqtt");
		client.send(connect(clientId));
		client.awaitMessage(MqttMessageType.CONNACK);
		client.send(subscribe());
		client.awaitMessage(MqttMessageType.SUBACK);
		return client;
	}

	private static long publishes(MqttWebSocketClient client) {
		return client.received()
			.stream()
			.filter((m) -> m.fixedHeader().messageType() == MqttMessageType.PUBLISH)
			.count();
	}

	private static MqttMessage connect(String clientId) {
		return MqttMessageBuilders.connect()
			.clientId(clientId)
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(120)
			.build();
	}

	private static MqttMessage subscribe() {
		return MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(MqttQoS.AT_MOST_ONCE, "/news/+/sport")
			.build();
	}

}
