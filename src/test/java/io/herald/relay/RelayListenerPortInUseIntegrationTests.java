package io.herald.relay;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.herald.HeraldApplication;
import io.herald.support.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A relay listener port taken by another process stops start-up with one line naming the
 * property.
 */
class RelayListenerPortInUseIntegrationTests {

	@Test
	void takenPortStopsStartUpNamingTheProperty() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(0));
			int port = taken.getLocalPort();
			Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(HeraldApplication.class)
				.run(TestDatabase.withArguments("--server.port=0", "--herald.broker.embedded-port=0",
						"--herald.relay.listener.port=" + port, "--herald.tls.self-signed-directory=target/tls")));
			assertThat(failure).isNotNull();

			FailureAnalysis analysis = new RelayListenerPortInUseFailureAnalyzer().analyze(failure);
			assertThat(analysis).as("analysis of %s", failure).isNotNull();
			assertThat(analysis.getDescription()).contains(":" + port).contains("another process");
			assertThat(analysis.getAction()).contains("herald.relay.listener.port");
		}
	}

}
