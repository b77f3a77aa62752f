package io.herald.relay;

import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.NettyLeakLog;
import io.herald.support.OpenTopics;
import io.herald.support.WithExternalMosquitto;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversations of {@link RelayTransparencyIntegrationTests} with Herald in front of a real
 * Mosquitto: what a client sees through Herald is what Mosquitto alone shows it.
 */
@HeraldIntegrationTest
@OpenTopics
class MosquittoRelayTransparencyIntegrationTests extends WithExternalMosquitto {

	private static NettyLeakLog leaks;

	@Autowired
	private ApplicationContext context;

	@BeforeAll
	static void watchForLeaks() {
		leaks = NettyLeakLog.capture();
	}

	@AfterAll
	static void noBufferLeaked() throws InterruptedException {
		try {
			assertThat(leaks.collect()).as("Netty buffers dropped unreleased").isEmpty();
		}
		finally {
			leaks.close();
		}
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("io.herald.relay.RelayTransparencyIntegrationTests#conversations")
	void clientSeesWhatMosquittoAloneShows(Conversation conversation, MqttVersion version) throws Exception {
		RelayTransparency.check(conversation, version, this.context);
	}

}
