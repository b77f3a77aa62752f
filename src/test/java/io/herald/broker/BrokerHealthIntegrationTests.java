package io.herald.broker;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator shows the broker's health, liveness and readiness, and nothing else.
 */
@HeraldIntegrationTest
class BrokerHealthIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void brokerComponentIsUpWithItsUrl() {
		ResponseEntity<String> health = get("/actuator/health");
		assertThat(health.getStatusCode().value()).isEqualTo(200);
		assertThat(health.getBody()).contains("\"broker\":{\"details\":{\"url\":\"tcp://127.0.0.1:")
			.contains("\"connack\":\"CONNECTION_ACCEPTED\"");
	}

	@Test
	void readinessIncludesTheBrokerAndLivenessDoesNot() {
		ResponseEntity<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.getStatusCode().value()).isEqualTo(200);
		assertThat(readiness.getBody()).contains("\"broker\"").contains("\"readinessState\"");
		ResponseEntity<String> liveness = get("/actuator/health/liveness");
		assertThat(liveness.getStatusCode().value()).isEqualTo(200);
		assertThat(liveness.getBody()).contains("\"livenessState\"").doesNotContain("\"broker\"");
	}

	@Test
	void otherActuatorEndpointsAreNotExposed() {
		assertThat(get("/actuator/env").getStatusCode().value()).isEqualTo(404);
		assertThat(get("/actuator/metrics").getStatusCode().value()).isEqualTo(404);
	}

	private ResponseEntity<String> get(String path) {
		return TestHttp.get("https://localhost:" + this.port + path, TestTokens.admin());
	}

}
