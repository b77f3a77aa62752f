package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.herald.relay.RelayListener;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.OpenTopics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Chromium's own WebSocket reports when Herald refuses what it sent: the close code
 * and reason, not an abnormal closure.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.relay.max-frame-size=64KB")
@OpenTopics
class RelayCloseBrowserIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RelayListener listener;

	private ChromeDriver browser;

	@BeforeEach
	void startBrowser(@TempDir Path profile) {
		this.browser = HeadlessChromium.start(profile);
		this.browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "relay listener", "web server" })
	void messageOverMaxFrameSizeClosesWith1009AndTheReason(String endpoint) {
		int relayPort = endpoint.equals("relay listener") ? this.listener.port() : this.port;
		// A page of Herald's own origin, so the handshake's Origin is allowed.
		this.browser.get("https://localhost:" + this.port + "/");
		// CONNECT, then on CONNACK one 256 KB PUBLISH (3.1.1, QoS 0, topic "/t") in one
		// message.
		Object outcome = this.browser.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				const socket = new WebSocket(arguments[0], ['mqtt']);
				socket.binaryType = 'arraybuffer';
				socket.onopen = () => socket.send(new Uint8Array(
						[0x10, 13, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 1, 0x62]));
				socket.onmessage = () => {
					const remaining = 256 * 1024 - 4;
					const publish = new Uint8Array(256 * 1024);
					publish.set([0x30, (remaining & 0x7f) | 0x80, ((remaining >> 7) & 0x7f) | 0x80, remaining >> 14,
							0, 2, 0x2f, 0x74]);
					socket.send(publish);
				};
				socket.onclose = (event) => done({ code: event.code, reason: event.reason });
				""", "wss://localhost:" + relayPort + "/mqtt");
		assertThat(outcome).isInstanceOfSatisfying(Map.class, (close) -> {
			assertThat(close.get("code")).as(close::toString).isEqualTo(1009L);
			assertThat((String) close.get("reason")).contains("herald.relay.max-frame-size");
		});
	}

}
