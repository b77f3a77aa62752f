package io.herald.relay;

import io.herald.mqtt.MqttCodec;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * The packets Herald answers a browser with itself, in the browser's protocol version.
 */
final class MqttReplies {

	/** MQTT 5's reason code "Not authorized". */
	static final int NOT_AUTHORIZED = 0x87;

	/** MQTT 5's reason code "Quota exceeded". */
	static final int QUOTA_EXCEEDED = 0x97;

	/** MQTT 5's reason code "Message rate too high". */
	static final int RATE_TOO_HIGH = 0x96;

	/** MQTT 3.1.1's SUBACK failure code. */
	static final int FAILURE = 0x80;

	private MqttReplies() {
	}

	static ByteBuf connAck(MqttVersion version, MqttConnectReturnCode v3Code, MqttConnectReturnCode v5Code) {
		MqttConnectReturnCode code = (version == MqttVersion.MQTT_5) ? v5Code : v3Code;
		return MqttCodec.encode(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build(), version);
	}

	static ByteBuf notAuthorized(MqttVersion version) {
		return connAck(version, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
				MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
	}

	static ByteBuf subAck(MqttVersion version, int packetId, MqttProperties properties, int[] codes) {
		MqttSubAckMessage message = new MqttSubAckMessage(
				new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
				new MqttMessageIdAndPropertiesVariableHeader(packetId, properties), new MqttSubAckPayload(codes));
		return MqttCodec.encode(message, version);
	}

	/** A negative PUBACK (QoS 1) or PUBREC (QoS 2), MQTT 5 only. */
	static ByteBuf publishRefused(int qos, int packetId) {
		MqttMessageType type = (qos == 1) ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
		MqttMessage message = new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0),
				new MqttPubReplyMessageVariableHeader(packetId, (byte) NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES));
		return MqttCodec.encode(message, MqttVersion.MQTT_5);
	}

	/** A DISCONNECT from Herald with a reason code, MQTT 5 only. */
	static ByteBuf disconnect(int reasonCode) {
		return MqttCodec.encode(MqttMessageBuilders.disconnect().reasonCode((byte) reasonCode).build(),
				MqttVersion.MQTT_5);
	}

}
