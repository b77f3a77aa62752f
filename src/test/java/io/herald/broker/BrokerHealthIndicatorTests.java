package io.herald.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.integration.mqtt.event.MqttConnectionFailedEvent;
import org.springframework.integration.mqtt.event.MqttSubscribedEvent;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerHealthIndicatorTests {

	private ConnAckServer broker;

	private BrokerConnector connector;

	private BrokerHealthIndicator indicator;

	private final MqttPahoMessageDrivenChannelAdapter feed = new MqttPahoMessageDrivenChannelAdapter(
			"tcp://127.0.0.1:1", "feed-client", "/news/#");

	@BeforeEach
	void startBroker() throws IOException {
		this.broker = new ConnAckServer();
		BrokerEndpoint endpoint = new BrokerEndpoint(URI.create("tcp://127.0.0.1:" + this.broker.port()));
		this.connector = new BrokerConnector(endpoint, Duration.ofSeconds(2));
		this.indicator = new BrokerHealthIndicator(new BrokerProbe(this.connector, Duration.ofSeconds(2)), endpoint);
		this.feed.setBeanName("feedInbound");
	}

	@AfterEach
	void stopBroker() throws IOException {
		this.connector.destroy();
		this.broker.close();
	}

	@Test
	void upWhenBrokerAnswersAndNoSubscriberReported() {
		Health health = this.indicator.health(true);

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("connack", "CONNECTION_ACCEPTED")
			.doesNotContainKey("subscribers");
	}

	@Test
	void downWhileSubscriberLostItsConnection() {
		this.indicator.subscribed(new MqttSubscribedEvent(this.feed, "Connected and subscribed"));
		this.indicator.connectionFailed(
				new MqttConnectionFailedEvent(this.feed, new MqttException(MqttException.REASON_CODE_CONNECTION_LOST)));

		Health health = this.indicator.health(true);

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("connack", "CONNECTION_ACCEPTED");
		assertThat(subscribers(health)).hasEntrySatisfying("feedInbound",
				(state) -> assertThat(state).startsWith("connection failed: MqttException"));
	}

	@Test
	void upAgainOnceSubscriberResubscribed() {
		this.indicator.connectionFailed(new MqttConnectionFailedEvent(this.feed, new IOException("gone")));
		this.indicator.subscribed(new MqttSubscribedEvent(this.feed, "Connected and subscribed"));

		Health health = this.indicator.health(true);

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(subscribers(health)).containsEntry("feedInbound", "subscribed");
	}

	@Test
	void ignoresFailuresOfOutboundHandlers() {
		MqttPahoMessageHandler handler = new MqttPahoMessageHandler("tcp://127.0.0.1:1", "publisher");
		handler.setBeanName("newsOutbound");
		this.indicator.connectionFailed(new MqttConnectionFailedEvent(handler, new IOException("refused")));

		Health health = this.indicator.health(true);

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).doesNotContainKey("subscribers");
	}

	@Test
	void downWhenBrokerUnreachableEvenWithSubscriberUp() throws IOException {
		// A bound but unconnected socket holds the port: nothing listens there, and no
		// other
		// socket (not even the probe's own, by chance) can take it while the test runs.
		try (Socket placeholder = new Socket()) {
			placeholder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			BrokerEndpoint nowhere = new BrokerEndpoint(URI.create("tcp://127.0.0.1:" + placeholder.getLocalPort()));
			BrokerConnector connector = new BrokerConnector(nowhere, Duration.ofSeconds(2));
			try {
				BrokerHealthIndicator indicator = new BrokerHealthIndicator(
						new BrokerProbe(connector, Duration.ofSeconds(2)), nowhere);
				indicator.subscribed(new MqttSubscribedEvent(this.feed, "Connected and subscribed"));

				Health health = indicator.health(true);

				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsKey("error");
				assertThat(subscribers(health)).containsEntry("feedInbound", "subscribed");
			}
			finally {
				connector.destroy();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> subscribers(Health health) {
		return (Map<String, String>) health.getDetails().get("subscribers");
	}

	/**
	 * Accepts connections on a free loopback port and answers any CONNECT with CONNACK
	 * (accepted).
	 */
	private static final class ConnAckServer implements AutoCloseable {

		private final ServerSocket server;

		private final Thread acceptor;

		ConnAckServer() throws IOException {
			this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(this::serve, "connack-server");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void serve() {
			while (!this.server.isClosed()) {
				try (Socket socket = this.server.accept()) {
					InputStream in = socket.getInputStream();
					// CONNECT: type byte, one remaining-length byte (short packets), then
					// the body.
					in.read();
					int remaining = in.read();
					in.readNBytes(remaining);
					socket.getOutputStream().write(new byte[] { 0x20, 0x02, 0x00, 0x00 });
					socket.getOutputStream().flush();
					// Wait for DISCONNECT or close.
					in.read();
				}
				catch (IOException ex) {
					// The server closed, or the probe went away: either way, next
					// connection.
				}
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
