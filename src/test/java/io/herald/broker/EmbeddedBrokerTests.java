package io.herald.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import io.herald.support.ReservedPort;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EmbeddedBrokerTests {

	@Test
	void listensOnlyOnTheAddressItIsGiven() throws Exception {
		InetAddress other = InetAddress.getByName("127.0.0.2");
		try (EmbeddedBroker broker = EmbeddedBroker.start(other, 0)) {
			assertThat(broker.uri()).isEqualTo(URI.create("tcp://127.0.0.2:" + broker.port()));
			assertThat(accepts(other, broker.port())).isTrue();
			assertThat(accepts(InetAddress.getLoopbackAddress(), broker.port())).isFalse();
			assertThat(probe(broker.uri())).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		}
	}

	@Test
	void byDefaultListensOnLoopbackOnly() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
			assertThat(broker.uri()).isEqualTo(URI.create("tcp://127.0.0.1:" + broker.port()));
			assertThat(accepts(InetAddress.getLoopbackAddress(), broker.port())).isTrue();
			assertThat(accepts(InetAddress.getByName("127.0.0.2"), broker.port())).isFalse();
		}
	}

	@Test
	void listeningEverywhereStillConnectsHeraldOverLoopback() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start(InetAddress.getByName("0.0.0.0"), 0)) {
			assertThat(broker.uri()).isEqualTo(URI.create("tcp://127.0.0.1:" + broker.port()));
			assertThat(accepts(InetAddress.getByName("127.0.0.2"), broker.port())).isTrue();
			assertThat(probe(broker.uri())).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		}
	}

	private static boolean accepts(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static MqttConnectReturnCode probe(URI uri) {
		BrokerConnector connector = new BrokerConnector(new BrokerEndpoint(uri), Duration.ofSeconds(5));
		try {
			return new BrokerProbe(connector, Duration.ofSeconds(5)).probe().join();
		}
		finally {
			connector.destroy();
		}
	}

	@Test
	void portZeroPicksAFreePortThatAcceptsMqtt() {
		try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
			assertThat(broker.port()).isPositive();
			BrokerConnector connector = new BrokerConnector(
					new BrokerEndpoint(URI.create("tcp://127.0.0.1:" + broker.port())), Duration.ofSeconds(5));
			try {
				assertThat(new BrokerProbe(connector, Duration.ofSeconds(5)).probe().join())
					.isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
			}
			finally {
				connector.destroy();
			}
		}
	}

	@Test
	void takenPortFailsWithOneLineNamingTheProperty() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			int port = taken.getLocalPort();
			EmbeddedBrokerPortInUseException failure = catchThrowableOfType(EmbeddedBrokerPortInUseException.class,
					() -> EmbeddedBroker.start(port));
			assertThat(failure.getPort()).isEqualTo(port);

			FailureAnalysis analysis = new EmbeddedBrokerPortInUseFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains("127.0.0.1:" + port).contains("another process");
			assertThat(analysis.getAction()).contains("herald.broker.embedded-port");
		}
	}

	@Test
	void probeOfAClosedPortFailsWithTheReason() throws Exception {
		try (ReservedPort closed = ReservedPort.reserve()) {
			BrokerConnector connector = new BrokerConnector(
					new BrokerEndpoint(URI.create("tcp://127.0.0.1:" + closed.port())), Duration.ofSeconds(2));
			try {
				assertThatExceptionOfType(CompletionException.class)
					.isThrownBy(() -> new BrokerProbe(connector, Duration.ofSeconds(2)).probe().join())
					.withMessageContaining("Connection refused");
			}
			finally {
				connector.destroy();
			}
		}
	}

}
