package io.herald.relay;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.NoNettyLeaks;
import io.herald.support.OpenTopics;
import io.herald.support.WithExternalMosquitto;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The conversations of {@link RelayTransparencyIntegrationTests} with Herald in front of
 * a real Mosquitto: what a client sees through Herald is what Mosquitto alone shows it.
 */
@HeraldIntegrationTest
@OpenTopics
@NoNettyLeaks
class MosquittoRelayTransparencyIntegrationTests extends WithExternalMosquitto {

	@Autowired
	private ApplicationContext context;

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("io.herald.relay.RelayTransparencyIntegrationTests#conversations")
	void clientSeesWhatMosquittoAloneShows(Conversation conversation, MqttVersion version) throws Exception {
		RelayTransparency.check(conversation, version, this.context);
	}

}
