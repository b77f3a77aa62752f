package io.herald.relay;

import java.net.Socket;
import java.time.Duration;

import io.herald.broker.BrokerEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.NettyLeakLog;
import io.herald.support.OpenTopics;
import io.herald.support.PahoClients;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser that leaves relayed bytes unread for {@code herald.relay.send-timeout} is
 * disconnected, and what was waiting for it is released.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "server.ssl.enabled=false", "herald.relay.send-timeout=2s" })
@OpenTopics
class RelaySendTimeoutIntegrationTests {

	private static final int PAYLOAD_SIZE = 64 * 1024;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerEndpoint broker;

	@Autowired
	private RelayRegistry registry;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void browserThatStopsReadingIsDisconnected(RelayEndpoint endpoint) throws Exception {
		MqttClient publisher = null;
		try (NettyLeakLog leaks = NettyLeakLog.capture();
				Socket stalled = StalledSubscriber.connect(endpoint.uri(this.context), "stalled-" + endpoint)) {
			assertThat(this.registry.size()).isEqualTo(1);
			publisher = PahoClients.connect(this.broker.uri().toString(), MqttConnectOptions.MQTT_VERSION_3_1_1);
			// 6.4 MB: more than the stalled socket's buffers and Herald's own for it can
			// hold.
			for (int i = 0; i < 100; i++) {
				publisher.publish("/news/europe/sport", new byte[PAYLOAD_SIZE], 0, false);
			}
			// (With the default 60 s, RelaySlowConsumerIntegrationTests shows such a
			// browser staying.)
			await().atMost(Duration.ofSeconds(30)).until(() -> this.registry.size() == 0);
			assertThat(leaks.collect()).isEmpty();
		}
		finally {
			PahoClients.closeQuietly(publisher);
		}
	}

}
