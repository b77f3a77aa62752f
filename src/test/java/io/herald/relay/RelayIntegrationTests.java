package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.herald.broker.BrokerEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.OpenTopics;
import io.herald.support.PahoClients;
import io.herald.support.TestTls;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paho Java clients subscribe through Herald over wss and receive what a TCP publisher
 * sends to the broker, for MQTT 3.1, 3.1.1 and 5 (with its properties).
 */
@HeraldIntegrationTest
@OpenTopics
class RelayIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerEndpoint broker;

	private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(PahoClients::closeQuietly);
	}

	@ParameterizedTest(name = "{0}, MQTT version {1}")
	@MethodSource("endpointsAndVersions")
	void wssSubscriberReceivesOnlyMatchingTopics(RelayEndpoint endpoint, int version) throws Exception {
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		MqttClient subscriber = track(PahoClients.connect(relayUri(endpoint), version));
		subscriber.subscribe("/news/+/sport", 1, (topic, message) -> arrived
			.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8)));

		MqttClient publisher = track(PahoClients.connect(this.broker.uri().toString(), version));
		publisher.publish("/news/usa/tennis", "not for sport fans".getBytes(StandardCharsets.UTF_8), 1, false);
		publisher.publish("/news/europe/sport", "goal".getBytes(StandardCharsets.UTF_8), 1, false);

		// Same publisher, same QoS: had the tennis item been delivered, it would have
		// come first.
		assertThat(arrived.poll(15, TimeUnit.SECONDS)).isEqualTo("/news/europe/sport=goal");
		assertThat(arrived).isEmpty();
	}

	@ParameterizedTest(name = "{0}, MQTT version {1}")
	@MethodSource("endpointsAndVersions")
	void wssPublisherReachesTcpSubscriber(RelayEndpoint endpoint, int version) throws Exception {
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		MqttClient subscriber = track(PahoClients.connect(this.broker.uri().toString(), version));
		subscriber.subscribe("/news/#", 1, (topic, message) -> arrived.add(topic));

		MqttClient publisher = track(PahoClients.connect(relayUri(endpoint), version));
		publisher.publish("/news/asia/sport", new byte[] { 1, 2, 3 }, 1, false);

		assertThat(arrived.poll(15, TimeUnit.SECONDS)).isEqualTo("/news/asia/sport");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void mqtt5PropertiesTravelThroughTheRelay(RelayEndpoint endpoint) throws Exception {
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		org.eclipse.paho.mqttv5.client.MqttClient subscriber = mqtt5Client(relayUri(endpoint));
		org.eclipse.paho.mqttv5.client.MqttClient publisher = mqtt5Client(this.broker.uri().toString());
		try {
			subscriber.subscribe(new MqttSubscription[] { new MqttSubscription("/news/+/sport", 1) },
					new IMqttMessageListener[] { (topic, message) -> arrived
						.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8) + ";"
								+ message.getProperties().getContentType() + ";"
								+ message.getProperties().getUserProperties()) });

			publisher.publish("/news/usa/tennis", v5Message("ace"));
			publisher.publish("/news/europe/sport", v5Message("goal"));

			assertThat(arrived.poll(15, TimeUnit.SECONDS))
				.isEqualTo("/news/europe/sport=goal;text/plain;[UserProperty [key=region, value=europe]]");
			assertThat(arrived).isEmpty();
		}
		finally {
			closeQuietly(subscriber);
			closeQuietly(publisher);
		}
	}

	private static org.eclipse.paho.mqttv5.common.MqttMessage v5Message(String text) {
		org.eclipse.paho.mqttv5.common.MqttMessage message = new org.eclipse.paho.mqttv5.common.MqttMessage(
				text.getBytes(StandardCharsets.UTF_8));
		message.setQos(1);
		MqttProperties properties = new MqttProperties();
		properties.setContentType("text/plain");
		properties.setUserProperties(List.of(new UserProperty("region", "europe")));
		message.setProperties(properties);
		return message;
	}

	private static org.eclipse.paho.mqttv5.client.MqttClient mqtt5Client(String serverUri) throws Exception {
		org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(serverUri,
				"v5-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
		MqttConnectionOptions options = new MqttConnectionOptions();
		if (serverUri.startsWith("wss:")) {
			options.setSocketFactory(TestTls.trustingAll().getSocketFactory());
		}
		options.setConnectionTimeout(10);
		client.setTimeToWait(10_000);
		client.connect(options);
		return client;
	}

	private static void closeQuietly(org.eclipse.paho.mqttv5.client.MqttClient client) {
		try {
			if (client.isConnected()) {
				client.disconnect();
			}
			client.close();
		}
		catch (org.eclipse.paho.mqttv5.common.MqttException ex) {
			// Already gone: nothing left to release.
		}
	}

	private MqttClient track(MqttClient client) {
		this.clients.add(client);
		return client;
	}

	private String relayUri(RelayEndpoint endpoint) {
		return endpoint.uri(this.context).toString();
	}

	static Stream<Arguments> endpointsAndVersions() {
		return Stream.of(RelayEndpoint.values())
			.flatMap((endpoint) -> Stream.of(Arguments.of(endpoint, MqttConnectOptions.MQTT_VERSION_3_1),
					Arguments.of(endpoint, MqttConnectOptions.MQTT_VERSION_3_1_1)));
	}

}
