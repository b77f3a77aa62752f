package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

/**
 * A received MQTT packet as one line of text: every field a client can see (type, flags,
 * remaining length, packet id, return or reason codes, topic, payload, each MQTT 5
 * property), so that two lines are equal exactly when a client could not tell the packets
 * apart. Two values are left out: a broker-assigned client id, new on every connection
 * (its length is taken out of the remaining length with it), and a message's remaining
 * expiry interval, which counts down.
 */
final class PacketText {

	private PacketText() {
	}

	static String describe(MqttMessage message) {
		if (message.decoderResult().isFailure()) {
			return "<malformed: " + message.decoderResult().cause() + ">";
		}
		MqttFixedHeader fixed = message.fixedHeader();
		Object header = message.variableHeader();
		MqttProperties properties = properties(header);
		String assigned = assignedClientId(message);
		int assignedLength = (assigned != null) ? assigned.getBytes(StandardCharsets.UTF_8).length : 0;
		StringBuilder text = new StringBuilder().append(fixed.messageType())
			.append(" dup=")
			.append(fixed.isDup() ? 1 : 0)
			.append(" qos=")
			.append(fixed.qosLevel().value())
			.append(" retain=")
			.append(fixed.isRetain() ? 1 : 0)
			.append(" length=")
			.append(fixed.remainingLength() - assignedLength);
		if (header instanceof MqttConnAckVariableHeader connAck) {
			text.append(" code=0x")
				.append(hex(connAck.connectReturnCode().byteValue()))
				.append(" sessionPresent=")
				.append(connAck.isSessionPresent());
		}
		else if (header instanceof MqttPublishVariableHeader publish) {
			text.append(" topic=").append(publish.topicName()).append(" id=").append(publish.packetId());
		}
		else if (header instanceof MqttPubReplyMessageVariableHeader reply) {
			text.append(" id=").append(reply.messageId()).append(" code=0x").append(hex(reply.reasonCode()));
		}
		else if (header instanceof MqttMessageIdVariableHeader id) {
			text.append(" id=").append(id.messageId());
		}
		else if (header instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
			text.append(" code=0x").append(hex(reason.reasonCode()));
		}
		if (properties != null && !properties.isEmpty()) {
			text.append(" properties=").append(describe(properties));
		}
		Object payload = message.payload();
		if (payload instanceof MqttSubAckPayload subAck) {
			text.append(" codes=").append(hexList(subAck.reasonCodes()));
		}
		else if (payload instanceof MqttUnsubAckPayload unsubAck) {
			text.append(" codes=").append(hexList(unsubAck.unsubscribeReasonCodes()));
		}
		else if (payload instanceof ByteBuf bytes) {
			text.append(" payload=").append(bytes.toString(StandardCharsets.UTF_8));
		}
		return text.toString();
	}

	/** The packet id, or -1 for a packet without one. */
	static int packetId(MqttMessage message) {
		Object header = message.variableHeader();
		if (header instanceof MqttPublishVariableHeader publish) {
			return publish.packetId();
		}
		return (header instanceof MqttMessageIdVariableHeader id) ? id.messageId() : -1;
	}

	/** The CONNACK return code or the reason code, or -1 for a packet without one. */
	static int code(MqttMessage message) {
		Object header = message.variableHeader();
		if (header instanceof MqttConnAckVariableHeader connAck) {
			return connAck.connectReturnCode().byteValue() & 0xFF;
		}
		if (header instanceof MqttPubReplyMessageVariableHeader reply) {
			return reply.reasonCode() & 0xFF;
		}
		if (header instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
			return reason.reasonCode() & 0xFF;
		}
		return -1;
	}

	/** A CONNACK's Assigned Client Identifier, or {@code null}. */
	static String assignedClientId(MqttMessage message) {
		MqttProperties properties = properties(message.variableHeader());
		MqttProperties.MqttProperty<?> assigned = (properties != null)
				? properties.getProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value()) : null;
		return (assigned != null) ? (String) assigned.value() : null;
	}

	private static MqttProperties properties(Object header) {
		if (header instanceof MqttConnAckVariableHeader connAck) {
			return connAck.properties();
		}
		if (header instanceof MqttPublishVariableHeader publish) {
			return publish.properties();
		}
		if (header instanceof MqttPubReplyMessageVariableHeader reply) {
			return reply.properties();
		}
		if (header instanceof MqttMessageIdAndPropertiesVariableHeader id) {
			return id.properties();
		}
		if (header instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
			return reason.properties();
		}
		return null;
	}

	private static String describe(MqttProperties properties) {
		List<MqttProperties.MqttProperty<?>> all = new ArrayList<>();
		properties.listAll().forEach(all::add);
		// Subscription identifiers and user properties keep their order, the rest go by
		// id.
		all.sort(Comparator.comparingInt(MqttProperties.MqttProperty::propertyId));
		return all.stream().map(PacketText::describe).collect(Collectors.joining(", ", "{", "}"));
	}

	private static String describe(MqttProperties.MqttProperty<?> property) {
		int id = property.propertyId();
		String name = MqttPropertyType.valueOf(id).name();
		Object value = property.value();
		if (id == MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value()) {
			value = "<assigned>";
		}
		else if (id == MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value()) {
			value = "<remaining>";
		}
		else if (value instanceof byte[] bytes) {
			value = HexFormat.of().formatHex(bytes);
		}
		else if (value instanceof List<?> pairs) {
			value = pairs.stream()
				.map((pair) -> ((MqttProperties.StringPair) pair).key + "=" + ((MqttProperties.StringPair) pair).value)
				.collect(Collectors.joining(", ", "[", "]"));
		}
		return name + "=" + value;
	}

	private static String hexList(List<? extends Number> codes) {
		return codes.stream().map((code) -> "0x" + hex(code.intValue())).collect(Collectors.joining(",", "[", "]"));
	}

	private static String hex(int code) {
		return String.format("%02x", code & 0xFF);
	}

}
