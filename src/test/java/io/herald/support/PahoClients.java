package io.herald.support;

import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Paho Java clients for tests: over wss through Herald, or straight to the broker over
 * TCP.
 */
public final class PahoClients {

	private PahoClients() {
	}

	/**
	 * A connected MQTT 3.x client; {@code version} is
	 * {@link MqttConnectOptions#MQTT_VERSION_3_1} or
	 * {@link MqttConnectOptions#MQTT_VERSION_3_1_1}. {@code serverUri} may be wss://,
	 * ws:// or tcp://.
	 */
	public static MqttClient connect(String serverUri, int version) {
		try {
			MqttClient client = new MqttClient(serverUri, "test-" + UUID.randomUUID().toString().substring(0, 8),
					new MemoryPersistence());
			MqttConnectOptions options = new MqttConnectOptions();
			options.setMqttVersion(version);
			options.setCleanSession(true);
			options.setConnectionTimeout(10);
			options.setAutomaticReconnect(false);
			// Paho completes a QoS 1 token before it counts the PUBACK out of its
			// in-flight
			// window, so back-to-back synchronous publishes can find the default window
			// of
			// 10 full ("Too many publishes in progress").
			options.setMaxInflight(1000);
			if (serverUri.startsWith("wss:")) {
				options.setSocketFactory(TestTls.trustingAll().getSocketFactory());
			}
			client.setTimeToWait(10_000);
			client.connect(options);
			return client;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Failed to connect a test client to " + serverUri, ex);
		}
	}

	/** Disconnect and close, for use in {@code finally} blocks and {@code @AfterEach}. */
	public static void closeQuietly(MqttClient client) {
		if (client == null) {
			return;
		}
		try {
			if (client.isConnected()) {
				client.disconnect(2_000);
			}
			client.close();
		}
		catch (MqttException ex) {
			// The broker may already have closed it; nothing left to release.
		}
	}

}
