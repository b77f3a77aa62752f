package io.herald.broker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
