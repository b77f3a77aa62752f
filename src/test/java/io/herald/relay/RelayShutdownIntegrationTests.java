package io.herald.relay;

import io.herald.HeraldApplication;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import io.herald.support.TestDatabase;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping Herald tells relayed browsers to go away (1001), so they reconnect elsewhere
 * at once.
 */
@OpenTopics
class RelayShutdownIntegrationTests {

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void shutdownClosesBrowsersWith1001(RelayEndpoint endpoint) {
		ConfigurableApplicationContext herald = new SpringApplicationBuilder(HeraldApplication.class)
			.run(TestDatabase.withArguments("--server.port=0", "--herald.broker.embedded-port=0",
					"--herald.relay.listener.port=0", "--herald.tls.self-signed-directory=target/tls"));
		MqttWebSocketClient client;
		try {
			client = MqttWebSocketClient.connect(endpoint.uri(herald), "mqtt");
			client.send(MqttMessageBuilders.connect()
				.clientId("leaving")
				.protocolVersion(MqttVersion.MQTT_3_1_1)
				.cleanSession(true)
				.build());
			client.awaitMessage(MqttMessageType.CONNACK);
		}
		finally {
			herald.close();
		}
		assertThat(client.awaitCloseCode()).isEqualTo(1001);
		assertThat(client.closeReason()).isEqualTo("Herald is shutting down");
	}

}
