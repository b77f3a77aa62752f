package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.herald.mqtt.MqttCodec;
import io.herald.mqtt.MqttFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;

/**
 * The CONNECT the broker sees for a browser's: the browser's token replaced by Herald's
 * own broker credentials (or none), and its client id bound to its identity, so that no
 * identity can take over another's persistent session. Everything else is as the browser
 * sent it.
 *
 * <p>
 * An MQTT 5 browser that sends an empty client id gets one from Herald, bound like any
 * other and returned in the CONNACK as the Assigned Client Identifier, so that it can
 * resume its session with it. An id the broker assigned would not do: Herald binds it
 * when the browser sends it back.
 */
final class BrokerConnect {

	/**
	 * Separates the identity from the browser's own client id in the id the broker sees.
	 */
	static final char SEPARATOR = '|';

	/**
	 * MQTT 3.1's longest client id, in characters (netty-codec-mqtt's encoder keeps to
	 * it).
	 */
	private static final int MQTT_3_1_MAX_CLIENT_ID = 23;

	/** The most bytes an MQTT string can have. */
	private static final int MAX_STRING_BYTES = 65_535;

	private BrokerConnect() {
	}

	/**
	 * The CONNECT for the broker; {@code assignedClientId} replaces an empty client id.
	 */
	static MqttConnectMessage rewrite(MqttConnectMessage connect, @Nullable String subject,
			@Nullable String assignedClientId, GuardSettings settings) {
		MqttConnectVariableHeader header = connect.variableHeader();
		MqttConnectPayload payload = connect.payload();
		String username = settings.brokerUsername();
		String password = (username != null) ? settings.brokerPassword() : null;
		MqttConnectVariableHeader rewritten = new MqttConnectVariableHeader(header.name(), header.version(),
				username != null, password != null, header.isWillRetain(), header.willQos(), header.isWillFlag(),
				header.isCleanSession(), header.keepAliveTimeSeconds(), header.properties());
		String clientId = (assignedClientId != null) ? assignedClientId : payload.clientIdentifier();
		MqttConnectPayload bound = new MqttConnectPayload(clientId(subject, clientId), payload.willProperties(),
				payload.willTopic(), payload.willMessageInBytes(), username,
				(password != null) ? password.getBytes(StandardCharsets.UTF_8) : null);
		return new MqttConnectMessage(connect.fixedHeader(), rewritten, bound);
	}

	/**
	 * A client id for an MQTT 5 browser that sent an empty one: unique, and not to be
	 * guessed.
	 */
	static String newClientId() {
		return "herald-" + UUID.randomUUID();
	}

	/**
	 * Whether the client id the broker sees still fits {@code version}'s limit: 23
	 * characters in MQTT 3.1, 65,535 bytes of UTF-8 otherwise, whose 16-bit length would
	 * wrap silently.
	 */
	static boolean clientIdFits(@Nullable String subject, String clientId, MqttVersion version) {
		String bound = clientId(subject, clientId);
		return (version == MqttVersion.MQTT_3_1) ? bound.length() <= MQTT_3_1_MAX_CLIENT_ID
				: ByteBufUtil.utf8Bytes(bound) <= MAX_STRING_BYTES;
	}

	/**
	 * The client id the broker sees: {@code <subject>|<client id>}, with {@code %} and
	 * {@code |} in the subject percent-encoded so that the first {@code |} always ends
	 * it; {@code |<client id>} for an anonymous browser; an empty id (MQTT 3.1.1's, when
	 * Herald assigns none) stays empty, for the broker to assign one or refuse it.
	 */
	static String clientId(@Nullable String subject, String clientId) {
		if (clientId.isEmpty()) {
			return clientId;
		}
		String identity = (subject != null) ? subject.replace("%", "%25").replace("|", "%7C") : "";
		return identity + SEPARATOR + clientId;
	}

	/**
	 * The broker's CONNACK (MQTT 5) for a browser Herald assigned {@code clientId}: with
	 * it as the Assigned Client Identifier when the broker accepted. Ownership of
	 * {@code packet} passes.
	 */
	static ByteBuf connAck(ByteBuf packet, String clientId) {
		MqttMessage message = MqttCodec.decode(packet.retainedDuplicate(), MqttVersion.MQTT_5);
		if (message.decoderResult().isFailure()) {
			packet.release();
			throw new MqttFramer.MalformedPacketException("CONNACK: " + message.decoderResult().cause().getMessage());
		}
		MqttConnAckVariableHeader header = ((MqttConnAckMessage) message).variableHeader();
		if (header.connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
			return packet;
		}
		packet.release();
		MqttProperties properties = new MqttProperties();
		header.properties().listAll().forEach(properties::add);
		properties
			.add(new MqttProperties.StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
		return MqttCodec.encode(new MqttConnAckMessage(message.fixedHeader(),
				new MqttConnAckVariableHeader(header.connectReturnCode(), header.isSessionPresent(), properties)),
				MqttVersion.MQTT_5);
	}

}
