package io.herald.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import io.herald.support.PahoClients;
import io.herald.support.RequiredBinary;
import io.herald.support.WithExternalMosquitto;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald in front of a real Mosquitto: the classic setup, with Herald in lighttpd's
 * place.
 */
@HeraldIntegrationTest
@OpenTopics
class MosquittoRelayIntegrationTests extends WithExternalMosquitto {

	@Autowired
	private ApplicationContext context;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void mosquittoPubReachesWebSocketSubscriber(RelayEndpoint endpoint) throws Exception {
		Path mosquittoPub = RequiredBinary.find("mosquitto_pub", "mosquitto-clients");
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		MqttClient subscriber = PahoClients.connect(relayUri(endpoint), MqttConnectOptions.MQTT_VERSION_3_1_1);
		try {
			subscriber.subscribe("/news/+/sport", 1, (topic, message) -> arrived
				.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
			run(mosquittoPub.toString(), "-h", "127.0.0.1", "-p", String.valueOf(mosquitto.port()), "-q", "1", "-t",
					"/news/usa/tennis", "-m", "ace");
			run(mosquittoPub.toString(), "-h", "127.0.0.1", "-p", String.valueOf(mosquitto.port()), "-q", "1", "-t",
					"/news/europe/sport", "-m", "this is the message about european sports");

			assertThat(arrived.poll(15, TimeUnit.SECONDS))
				.isEqualTo("/news/europe/sport this is the message about european sports");
			assertThat(arrived).isEmpty();
		}
		finally {
			PahoClients.closeQuietly(subscriber);
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void webSocketPublisherReachesMosquittoSub(RelayEndpoint endpoint) throws Exception {
		Path mosquittoSub = RequiredBinary.find("mosquitto_sub", "mosquitto-clients");
		Process sub = new ProcessBuilder(mosquittoSub.toString(), "-h", "127.0.0.1", "-p",
				String.valueOf(mosquitto.port()), "-t", "/news/#", "-q", "1", "-v", "-C", "1", "-W", "30")
			.redirectErrorStream(true)
			.start();
		MqttClient publisher = PahoClients.connect(relayUri(endpoint), MqttConnectOptions.MQTT_VERSION_3_1_1);
		try {
			// mosquitto_sub says nothing until it prints the message: publish until it
			// has one.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (sub.isAlive() && System.nanoTime() < deadline) {
				publisher.publish("/news/asia/sport", "from a browser".getBytes(StandardCharsets.UTF_8), 1, false);
				sub.waitFor(200, TimeUnit.MILLISECONDS);
			}
			assertThat(sub.waitFor(1, TimeUnit.SECONDS)).as("mosquitto_sub received a message").isTrue();
			String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(output).isEqualTo("/news/asia/sport from a browser\n");
			assertThat(sub.exitValue()).isZero();
		}
		finally {
			PahoClients.closeQuietly(publisher);
			sub.destroyForcibly();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void everythingTheBrokerSentBeforeClosingReachesTheBrowserFirst(RelayEndpoint endpoint) throws Exception {
		for (int run = 0; run < 20; run++) {
			String topic = "/echo/" + endpoint + "/" + run;
			MqttWebSocketClient browser = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
			try {
				browser.send(MqttMessageBuilders.connect()
					.protocolVersion(MqttVersion.MQTT_3_1_1)
					.clientId("last-words-" + run)
					.cleanSession(true)
					.build());
				browser.awaitMessage(MqttMessageType.CONNACK);
				browser.send(MqttMessageBuilders.subscribe()
					.messageId(1)
					.addSubscription(MqttQoS.AT_MOST_ONCE, topic)
					.build());
				browser.awaitMessage(MqttMessageType.SUBACK);
				// Three messages to itself and a DISCONNECT in one WebSocket message:
				// Mosquitto echoes the
				// three, then closes.
				ByteArrayOutputStream message = new ByteArrayOutputStream();
				for (int i = 0; i < 3; i++) {
					message.write(MqttWebSocketClient.encode(MqttMessageBuilders.publish()
						.topicName(topic)
						.qos(MqttQoS.AT_MOST_ONCE)
						.payload(Unpooled.copiedBuffer("word " + i, StandardCharsets.UTF_8))
						.build()));
				}
				message.write(MqttWebSocketClient.encode(MqttMessage.DISCONNECT));
				browser.send(ByteBuffer.wrap(message.toByteArray()));
				assertThat(browser.awaitCloseCode()).as("run %d", run).isEqualTo(1000);
				assertThat(browser.received()
					.stream()
					.filter((m) -> m.fixedHeader().messageType() == MqttMessageType.PUBLISH)).as("run %d", run)
					.hasSize(3);
			}
			finally {
				browser.abort();
			}
		}
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
	}

	private String relayUri(RelayEndpoint endpoint) {
		return endpoint.uri(this.context).toString();
	}

}
