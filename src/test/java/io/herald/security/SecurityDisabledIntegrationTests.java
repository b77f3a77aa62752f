package io.herald.security;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code herald.security.enabled=false} nothing is checked: REST is open and every
 * client gets every right.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.security.enabled=false")
class SecurityDisabledIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private IdentityResolver identities;

	@Test
	void publishingNeedsNoToken() {
		assertThat(TestHttp.client(this.port)
			.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", "/anywhere/" + UUID.randomUUID(), "payload", "open"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
	}

	@Test
	void actuatorNeedsNoToken() {
		assertThat(TestHttp.get("https://localhost:" + this.port + "/actuator/info").getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void relayedClientsGetEveryRightWhateverTheyPresent() throws Exception {
		assertThat(this.identities.resolve(null).get(5, TimeUnit.SECONDS).rights(null).coversEverything()).isTrue();
		assertThat(this.identities.resolve("garbage").get(5, TimeUnit.SECONDS).rights(null).coversEverything())
			.isTrue();
	}

}
