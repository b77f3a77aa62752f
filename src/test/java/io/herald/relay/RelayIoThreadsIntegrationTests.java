package io.herald.relay;

import java.util.stream.StreamSupport;

import io.herald.broker.BrokerConnector;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code herald.broker.io-threads} sets how many event loops carry the relay listener and
 * the broker connections.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.broker.io-threads=3")
@OpenTopics
class RelayIoThreadsIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerConnector connector;

	@Test
	void browsersAreRelayedOnTheConfiguredNumberOfEventLoops() {
		assertThat(StreamSupport.stream(this.connector.ioThreads().spliterator(), false)).hasSize(3);
		MqttWebSocketClient first = connect("first");
		MqttWebSocketClient second = connect("second");
		first.close();
		second.close();
	}

	private MqttWebSocketClient connect(String clientId) {
		MqttWebSocketClient client = MqttWebSocketClient.connect(RelayEndpoint.LISTENER.uri(this.context), "mqtt");
		client.send(MqttMessageBuilders.connect()
			.clientId(clientId)
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(30)
			.build());
		MqttConnAckMessage connAck = (MqttConnAckMessage) client.awaitMessage(MqttMessageType.CONNACK);
		assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		return client;
	}

}
