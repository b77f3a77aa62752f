package io.herald.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.support.HeraldProcess;
import io.herald.support.MosquittoProcess;
import io.herald.support.PahoClients;
import io.herald.support.TestTls;
import io.herald.support.TestTokens;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIGKILL to a Herald process with persistent QoS 1 subscribers (fixed client ids,
 * clean session off) on both endpoints: while Herald is gone the broker keeps their
 * sessions, and once a new Herald runs on the same ports they reconnect and receive every
 * message published meanwhile.
 */
class HeraldCrashIntegrationTests {

	private static final String TOPIC = "/news/crash/sport";

	private static final int BEFORE = 20;

	private static final int WHILE_DOWN = 100;

	@Test
	void persistentSubscribersGetEveryMessagePublishedWhileHeraldWasKilled() throws Exception {
		try (MosquittoProcess mosquitto = MosquittoProcess.start()) {
			int port = HeraldProcess.freePort();
			int listenerPort = HeraldProcess.freePort();
			String token = TestTokens.subscribing("/news/#");
			List<Subscriber> subscribers = new ArrayList<>();
			MqttClient publisher = PahoClients.connect(mosquitto.tcpUri(), MqttConnectOptions.MQTT_VERSION_3_1_1);
			try (HeraldProcess first = HeraldProcess.start(port, listenerPort, mosquitto.tcpUri())) {
				subscribers.add(new Subscriber("wss://localhost:" + listenerPort + "/mqtt", "crash-listener", token));
				subscribers.add(new Subscriber("wss://localhost:" + port + "/mqtt", "crash-web", token));
				for (Subscriber subscriber : subscribers) {
					subscriber.connect(false);
				}
				publish(publisher, "before", BEFORE);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> subscribers.stream().allMatch((subscriber) -> subscriber.received.size() == BEFORE));
				first.kill();
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> subscribers.stream().noneMatch((subscriber) -> subscriber.client.isConnected()));
			publish(publisher, "down", WHILE_DOWN);

			try (HeraldProcess second = HeraldProcess.start(port, listenerPort, mosquitto.tcpUri())) {
				for (Subscriber subscriber : subscribers) {
					assertThat(subscriber.connect(true)).as("%s: session present", subscriber.clientId).isTrue();
				}
				await().atMost(Duration.ofSeconds(20))
					.until(() -> subscribers.stream()
						.allMatch((subscriber) -> subscriber.received.size() == BEFORE + WHILE_DOWN));
				for (Subscriber subscriber : subscribers) {
					System.out.printf("%s: %d messages before the SIGKILL, %d of %d published while Herald was gone%n",
							subscriber.clientId, BEFORE,
							subscriber.received.stream().filter((payload) -> payload.startsWith("down-")).count(),
							WHILE_DOWN);
					assertThat(subscriber.received).hasSize(BEFORE + WHILE_DOWN);
					PahoClients.closeQuietly(subscriber.client);
				}
			}
			finally {
				PahoClients.closeQuietly(publisher);
			}
		}
	}

	private static void publish(MqttClient publisher, String prefix, int count) throws MqttException {
		for (int i = 0; i < count; i++) {
			MqttMessage message = new MqttMessage((prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
			message.setQos(1);
			publisher.publish(TOPIC, message);
		}
	}

	/**
	 * A browser with a persistent session, as a page that keeps its client id would be.
	 */
	private static final class Subscriber implements MqttCallback {

		private final MqttClient client;

		private final String clientId;

		private final String token;

		private final Set<String> received = ConcurrentHashMap.newKeySet();

		Subscriber(String uri, String clientId, String token) throws MqttException {
			this.client = new MqttClient(uri, clientId, new MemoryPersistence());
			this.client.setCallback(this);
			this.client.setTimeToWait(10_000);
			this.clientId = clientId;
			this.token = token;
		}

		/** Connect with clean session off; subscribe the first time; session present? */
		boolean connect(boolean again) throws MqttException {
			MqttConnectOptions options = new MqttConnectOptions();
			options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
			options.setCleanSession(false);
			options.setAutomaticReconnect(false);
			options.setConnectionTimeout(10);
			options.setUserName("token");
			options.setPassword(this.token.toCharArray());
			options.setSocketFactory(TestTls.trustingAll().getSocketFactory());
			boolean present = this.client.connectWithResult(options).getSessionPresent();
			if (!again) {
				this.client.subscribe(TOPIC, 1);
			}
			return present;
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			this.received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
		}

		@Override
		public void connectionLost(Throwable cause) {
		}

		@Override
		public void deliveryComplete(IMqttDeliveryToken token) {
		}

	}

}
