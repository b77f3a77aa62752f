package io.herald.page;

import io.herald.relay.RelayListener;
import io.herald.support.HeraldIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line Herald logs once it is ready: every address a user needs, no secret, and no
 * pages of Spring Integration's bean lines around it.
 */
@ExtendWith(OutputCaptureExtension.class)
@HeraldIntegrationTest
// A context of its own, so that it starts while the output is captured.
@TestPropertySource(properties = "herald.security.jwt.secret=a-test-secret-of-at-least-thirty-two-bytes")
@DirtiesContext
class ReadyLogIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RelayListener listener;

	@Test
	void oneLineNamesPageRelaysAndBroker(CapturedOutput output) {
		String ready = output.getOut()
			.lines()
			.filter((line) -> line.contains("Herald ready:"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No ready line in:\n" + output.getOut()));

		assertThat(ready).contains("test page https://localhost:" + this.port + "/")
			.contains("wss://localhost:" + this.listener.port() + "/mqtt (relay listener)")
			.contains("wss://localhost:" + this.port + "/mqtt")
			.containsPattern("broker tcp://127\\.0\\.0\\.1:\\d+ \\(embedded\\)")
			.doesNotContain("a-test-secret");
		assertThat(output.getOut()).doesNotContain("has 1 subscriber(s)").doesNotContain("started bean");
	}

}
