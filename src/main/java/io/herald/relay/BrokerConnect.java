package io.herald.relay;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;

/**
 * The CONNECT the broker sees for a browser's: the browser's token replaced by Herald's own
 * broker credentials (or none), and its client id bound to its identity, so that no identity can
 * take over another's persistent session. Everything else is as the browser sent it.
 */
final class BrokerConnect {

	/** Separates the identity from the browser's own client id in the id the broker sees. */
	static final char SEPARATOR = '|';

	/** MQTT 3.1's longest client id, in characters (netty-codec-mqtt's encoder keeps to it). */
	private static final int MQTT_3_1_MAX_CLIENT_ID = 23;

	/** The most bytes an MQTT string can have. */
	private static final int MAX_STRING_BYTES = 65_535;

	private BrokerConnect() {
	}

	static MqttConnectMessage rewrite(MqttConnectMessage connect, @Nullable String subject, GuardSettings settings) {
		MqttConnectVariableHeader header = connect.variableHeader();
		MqttConnectPayload payload = connect.payload();
		String username = settings.brokerUsername();
		String password = (username != null) ? settings.brokerPassword() : null;
		MqttConnectVariableHeader rewritten = new MqttConnectVariableHeader(header.name(), header.version(),
				username != null, password != null, header.isWillRetain(), header.willQos(), header.isWillFlag(),
				header.isCleanSession(), header.keepAliveTimeSeconds(), header.properties());
		MqttConnectPayload bound = new MqttConnectPayload(clientId(subject, payload.clientIdentifier()),
				payload.willProperties(), payload.willTopic(), payload.willMessageInBytes(), username,
				(password != null) ? password.getBytes(StandardCharsets.UTF_8) : null);
		return new MqttConnectMessage(connect.fixedHeader(), rewritten, bound);
	}

	/**
	 * Whether the client id the broker sees still fits {@code version}'s limit: 23 characters in
	 * MQTT 3.1, 65,535 bytes of UTF-8 otherwise, whose 16-bit length would wrap silently.
	 */
	static boolean clientIdFits(@Nullable String subject, String clientId, MqttVersion version) {
		String bound = clientId(subject, clientId);
		return (version == MqttVersion.MQTT_3_1) ? bound.length() <= MQTT_3_1_MAX_CLIENT_ID
				: ByteBufUtil.utf8Bytes(bound) <= MAX_STRING_BYTES;
	}

	/**
	 * The client id the broker sees: {@code <subject>|<client id>}, with {@code %} and {@code |}
	 * in the subject percent-encoded so that the first {@code |} always ends it; {@code |<client id>}
	 * for an anonymous browser; an empty id stays empty, for the broker to assign one.
	 */
	static String clientId(@Nullable String subject, String clientId) {
		if (clientId.isEmpty()) {
			return clientId;
		}
		String identity = (subject != null) ? subject.replace("%", "%25").replace("|", "%7C") : "";
		return identity + SEPARATOR + clientId;
	}

}
