package io.herald.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for integration tests of Herald in front of a real Mosquitto: starts it before the
 * class, points Herald at it instead of the embedded broker, and stops it after the
 * class. Each class gets its own Herald, since each has its own Mosquitto.
 */
@DirtiesContext
public abstract class WithExternalMosquitto {

	/**
	 * The running broker; tests may stop and restart it (assigning the restarted one).
	 */
	protected static MosquittoProcess mosquitto;

	@BeforeAll
	static void startMosquitto() {
		mosquitto = MosquittoProcess.start();
	}

	@AfterAll
	static void stopMosquitto() {
		if (mosquitto != null) {
			mosquitto.close();
			mosquitto = null;
		}
	}

	@DynamicPropertySource
	static void externalBroker(DynamicPropertyRegistry registry) {
		registry.add("herald.broker.embedded", () -> "false");
		registry.add("herald.broker.url", () -> mosquitto.tcpUri());
	}

}
