package io.herald.relay;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Why a relayed session ends, as the WebSocket close code and reason the browser gets:
 * decided once, where both endpoints meet, and turned into a close frame by each
 * endpoint's transport.
 *
 * @param code the WebSocket close code (RFC 6455, section 7.4)
 * @param reason the close reason, fitted into a close frame, or {@code null} for none
 */
record CloseCause(int code, @Nullable String reason) {

	static final int NORMAL = 1000;

	static final int GOING_AWAY = 1001;

	static final int PROTOCOL_ERROR = 1002;

	static final int UNSUPPORTED_DATA = 1003;

	static final int POLICY_VIOLATION = 1008;

	static final int MESSAGE_TOO_BIG = 1009;

	static final int INTERNAL_ERROR = 1011;

	CloseCause {
		reason = (reason != null) ? CloseReasons.fit(reason) : null;
	}

	/** The session ended as MQTT intends: a DISCONNECT, then the broker closed. */
	static CloseCause normal() {
		return new CloseCause(NORMAL, null);
	}

	static CloseCause goingAway() {
		return new CloseCause(GOING_AWAY, "Herald is shutting down");
	}

	static CloseCause brokerUnreachable(Throwable cause) {
		return new CloseCause(INTERNAL_ERROR, "Broker unreachable: " + cause.getMessage());
	}

	static CloseCause brokerFailed(Throwable cause) {
		return new CloseCause(INTERNAL_ERROR, "Broker connection failed: " + cause.getMessage());
	}

	static CloseCause brokerClosed() {
		return new CloseCause(INTERNAL_ERROR, "Broker closed the connection");
	}

	static CloseCause malformedFromBroker(String problem) {
		return new CloseCause(INTERNAL_ERROR, "Malformed MQTT from broker: " + problem);
	}

	static CloseCause malformedFromBrowser(String problem) {
		return new CloseCause(PROTOCOL_ERROR, "Malformed MQTT: " + problem);
	}

	static CloseCause protocolError(String reason) {
		return new CloseCause(PROTOCOL_ERROR, reason);
	}

	static CloseCause tooLarge(String detail) {
		return new CloseCause(MESSAGE_TOO_BIG, detail);
	}

	/**
	 * The browser answered none of Herald's pings for {@code silence}: it is gone, or
	 * cannot be reached.
	 */
	static CloseCause noAnswer(Duration silence) {
		return new CloseCause(INTERNAL_ERROR,
				"No answer to WebSocket pings for " + silence.toSeconds() + "s (herald.relay.ping-interval)");
	}

	static CloseCause textRefused() {
		return new CloseCause(UNSUPPORTED_DATA, "Text messages not supported");
	}

	static CloseCause policy(String reason) {
		return new CloseCause(POLICY_VIOLATION, reason);
	}

}
