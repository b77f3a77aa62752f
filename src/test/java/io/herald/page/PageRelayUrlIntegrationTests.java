package io.herald.page;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the test page's MQTT client connects, and what its content security policy lets
 * it reach.
 */
class PageRelayUrlIntegrationTests {

	@Nested
	@HeraldIntegrationTest
	@TestPropertySource(properties = "herald.relay.listener.enabled=false")
	class WithoutListener {

		@LocalServerPort
		private int port;

		@Test
		void pageUsesTheWebServersEndpointAndConnectsOnlyToItsOwnOrigin() {
			String page = HtmlUtils.htmlUnescape(TestHttp.get("https://localhost:" + this.port + "/").getBody());
			assertThat(page).doesNotContain("data-relay-url").contains("data-relay-path=\"/mqtt\"");
			assertThat(page).contains("connect-src 'self';");
		}

	}

	@Nested
	@HeraldIntegrationTest
	@TestPropertySource(properties = "herald.relay.listener.public-url=wss://push.example.com/mqtt")
	class WithPublicUrl {

		@LocalServerPort
		private int port;

		@Test
		void pageUsesThePublicUrlAndMayConnectToItsOrigin() {
			String page = HtmlUtils.htmlUnescape(TestHttp.get("https://localhost:" + this.port + "/").getBody());
			assertThat(page).contains("data-relay-url=\"wss://push.example.com/mqtt\"");
			assertThat(page).contains("connect-src 'self' wss://push.example.com;");
		}

	}

}
