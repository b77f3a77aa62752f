package io.herald.relay;

import java.io.IOException;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import io.herald.support.ReservedPort;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser whose broker cannot be reached is told so with 1011 and a reason.
 */
@HeraldIntegrationTest
@OpenTopics
class RelayBrokerUnreachableIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	private static final ReservedPort UNREACHABLE = ReservedPort.reserve();

	@DynamicPropertySource
	static void unreachableBroker(DynamicPropertyRegistry registry) {
		registry.add("herald.broker.embedded", () -> "false");
		registry.add("herald.broker.url", () -> "tcp://127.0.0.1:" + UNREACHABLE.port());
	}

	@AfterAll
	static void releasePort() throws IOException {
		UNREACHABLE.close();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void browserIsClosedWith1011NamingTheBroker(RelayEndpoint endpoint) {
		MqttWebSocketClient client = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
		// The broker is connected to once the browser's CONNECT is let in.
		client.send(
				MqttMessageBuilders.connect().clientId("unreachable").protocolVersion(MqttVersion.MQTT_3_1_1).build());
		MqttConnAckMessage connAck = (MqttConnAckMessage) client.awaitMessage(MqttMessageType.CONNACK);
		assertThat(connAck.variableHeader().connectReturnCode())
			.isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
		assertThat(client.awaitCloseCode()).isEqualTo(1011);
		assertThat(client.closeReason()).startsWith("Broker unreachable").contains("127.0.0.1");
	}

	@Test
	void readinessIsDownWithTheReasonWhileLivenessStaysUp() {
		ResponseEntity<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.getStatusCode().value()).isEqualTo(503);
		assertThat(readiness.getBody()).contains("\"status\":\"DOWN\"").contains("Connection refused");
		assertThat(get("/actuator/health/liveness").getStatusCode().value()).isEqualTo(200);
	}

	private ResponseEntity<String> get(String path) {
		// Health details are for administrators.
		return TestHttp.get("https://localhost:" + this.port + path, TestTokens.admin());
	}

}
