package io.herald.relay;

import java.util.regex.Pattern;

import io.herald.relay.TransparencyRun.Route;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.assertj.core.api.SoftAssertions;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential check: a conversation played straight to the broker, then through each
 * relay endpoint, must leave every client with the same transcript.
 */
final class RelayTransparency {

	/** A broker's DISCONNECT as the last packet before it closed the connection. */
	private static final Pattern CLOSING_DISCONNECT = Pattern
		.compile("  DISCONNECT [^\n]*\n(  " + Pattern.quote(BareMqttClient.CLOSED) + ")");

	private RelayTransparency() {
	}

	static void check(Conversation conversation, MqttVersion version, ApplicationContext context) throws Exception {
		String alone = play(conversation, version, Route.BROKER, context);
		assertThat(alone).as("%s against the broker alone", conversation).doesNotContain(TransparencyRun.STOPPED);
		String expected = alone;
		if (conversation.refusedByTheGate() && version == MqttVersion.MQTT_5) {
			// The intended difference: the gate checks topics and filters itself (it
			// must, to judge
			// them), and closes on a bad one as MQTT 5 allows, without the DISCONNECT,
			// reason code
			// and reason string the broker sends first (README, Security). All else must
			// match.
			expected = CLOSING_DISCONNECT.matcher(alone).replaceAll("$1");
		}
		SoftAssertions softly = new SoftAssertions();
		for (Route route : new Route[] { Route.RELAY_LISTENER, Route.WEB_SERVER }) {
			softly.assertThat(play(conversation, version, route, context))
				.as("%s through the %s, against the broker alone", conversation, route)
				.isEqualTo(expected);
		}
		softly.assertAll();
	}

	private static String play(Conversation conversation, MqttVersion version, Route route, ApplicationContext context)
			throws Exception {
		TransparencyRun run = new TransparencyRun(route, version, context);
		Throwable failed = null;
		try {
			conversation.play(run);
		}
		catch (Exception | AssertionError ex) {
			failed = ex;
		}
		run.finish();
		return run.transcript(failed);
	}

}
