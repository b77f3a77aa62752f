package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.mqtt.MqttFramer;
import io.herald.relay.RelayAccess.Admission;
import io.herald.security.TopicRights;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the gate promises about the bytes it let through in a session: to the broker,
 * Herald's CONNECT first, with Herald's credentials and a client id bound to the
 * identity, then nothing beyond the browser's rights; to the browser, whole packets, a
 * CONNACK first.
 */
final class GateChecks {

	private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

	private GateChecks() {
	}

	/** The broker got a rewritten CONNECT first, then nothing beyond the rights. */
	static void brokerBound(byte[] bytes, Admission admission, GuardSettings settings) {
		TopicRights rights = admission.rights();
		MqttVersion version = null;
		Map<Integer, String> aliases = new HashMap<>();
		int at = 0;
		while (at < bytes.length) {
			int type = (bytes[at] & 0xFF) >>> 4;
			int length = 0;
			int header = 1;
			boolean complete = false;
			while (at + header < bytes.length && header <= 4 && !complete) {
				int encoded = bytes[at + header++] & 0xFF;
				length |= (encoded & 0x7F) << (7 * (header - 2));
				complete = (encoded & 0x80) == 0;
			}
			if (!complete) {
				assertThat(at + header).as("a fixed header cut short only at the end").isEqualTo(bytes.length);
				return;
			}
			int available = Math.min(length, bytes.length - at - header);
			byte[] body = Arrays.copyOfRange(bytes, at + header, at + header + available);
			if (version == null) {
				assertThat(type).as("the broker's first packet").isEqualTo(MqttFramer.CONNECT);
				assertThat(available).isEqualTo(length);
				version = checkConnect(bytes[at], body, admission, settings);
			}
			else if (type == MqttFramer.CONNECT) {
				fail("A second CONNECT reached the broker");
			}
			else if (type == 3) {
				checkPublish(bytes[at], body, version, rights, aliases);
			}
			else if (type == 8) {
				assertThat(available).as("a SUBSCRIBE goes whole").isEqualTo(length);
				MqttSubscribeMessage subscribe = (MqttSubscribeMessage) decode(bytes[at], body, version);
				for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
					assertThat(rights.maySubscribe(subscription.topicFilter()))
						.as("broker subscribed to %s", subscription.topicFilter())
						.isTrue();
				}
			}
			at += header + available;
		}
	}

	private static MqttVersion checkConnect(byte first, byte[] body, Admission admission, GuardSettings settings) {
		MqttConnectMessage connect = (MqttConnectMessage) decode(first, body, MqttVersion.MQTT_3_1_1);
		assertThat(connect.payload().userName()).isEqualTo(settings.brokerUsername());
		assertThat(new String(connect.payload().passwordInBytes(), StandardCharsets.UTF_8))
			.isEqualTo(settings.brokerPassword());
		TopicRights rights = admission.rights();
		String subject = admission.subject();
		String identity = (subject != null) ? subject.replace("%", "%25").replace("|", "%7C") : "";
		String clientId = connect.payload().clientIdentifier();
		assertThat(clientId.isEmpty() || clientId.startsWith(identity + BrokerConnect.SEPARATOR))
			.as("client id %s bound to %s", clientId, identity)
			.isTrue();
		if (connect.variableHeader().isWillFlag()) {
			assertThat(rights.mayPublish(connect.payload().willTopic())).as("will to %s", connect.payload().willTopic())
				.isTrue();
		}
		return MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
				(byte) connect.variableHeader().version());
	}

	private static void checkPublish(byte first, byte[] body, MqttVersion version, TopicRights rights,
			Map<Integer, String> aliases) {
		MqttPublishMessage publish = (MqttPublishMessage) decode(first, body, version);
		String topic = publish.variableHeader().topicName();
		MqttProperties.MqttProperty<?> alias = publish.variableHeader()
			.properties()
			.getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value());
		if (alias != null && !topic.isEmpty()) {
			aliases.put((Integer) alias.value(), topic);
		}
		else if (alias != null) {
			topic = aliases.get((Integer) alias.value());
			assertThat(topic).as("PUBLISH by an alias the broker knows").isNotNull();
		}
		assertThat(rights.mayPublish(topic)).as("broker got a PUBLISH to %s", topic).isTrue();
	}

	/**
	 * With well-formed streams both ways, the browser gets whole packets, a CONNACK
	 * first.
	 */
	static void browserBound(byte[] bytes, MqttVersion version) {
		EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1024 * 1024));
		decoder.attr(VERSION).set((version == MqttVersion.MQTT_5) ? version : MqttVersion.MQTT_3_1_1);
		decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
		boolean first = true;
		MqttMessage message;
		while ((message = decoder.readInbound()) != null) {
			try {
				assertThat(message.decoderResult().isSuccess()).as("browser got %s", message).isTrue();
				if (first) {
					assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
					first = false;
				}
			}
			finally {
				ReferenceCountUtil.release(message);
			}
		}
		decoder.finishAndReleaseAll();
	}

	/** Whether {@code bytes} are exactly one packet that decodes, in MQTT 3.1.1 or 5. */
	static boolean isOnePacket(byte[] bytes) {
		int header = 1;
		int length = 0;
		int encoded;
		do {
			if (header >= bytes.length) {
				return false;
			}
			encoded = bytes[header] & 0xFF;
			length |= (encoded & 0x7F) << (7 * (header - 1));
			header++;
		}
		while ((encoded & 0x80) != 0);
		if (header + length != bytes.length) {
			return false;
		}
		for (MqttVersion version : List.of(MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5)) {
			MqttMessage message = decodeAlone(Unpooled.wrappedBuffer(bytes), version);
			if (message != null && message.decoderResult().isSuccess()) {
				return true;
			}
		}
		return false;
	}

	/** Decode one packet from its first byte and the part of its body that is there. */
	private static MqttMessage decode(byte first, byte[] body, MqttVersion version) {
		ByteBuf packet = Unpooled.buffer(body.length + 5).writeByte(first);
		int length = body.length;
		do {
			int encoded = length & 0x7F;
			length >>>= 7;
			packet.writeByte((length > 0) ? encoded | 0x80 : encoded);
		}
		while (length > 0);
		MqttMessage message = decodeAlone(packet.writeBytes(body), version);
		assertThat(message).isNotNull();
		assertThat(message.decoderResult().isSuccess()).as("what the broker got decodes: %s", message).isTrue();
		return message;
	}

	/**
	 * Decode {@code packet} with a decoder of its own, released at once: not with
	 * {@link io.herald.mqtt.MqttCodec}, whose decoder the guard shares on this thread and
	 * which keeps what a packet decoded in the wrong version leaves over.
	 */
	private static @Nullable MqttMessage decodeAlone(ByteBuf packet, MqttVersion version) {
		EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(Integer.MAX_VALUE));
		decoder.attr(VERSION).set(version);
		decoder.writeInbound(packet);
		MqttMessage message = decoder.readInbound();
		ReferenceCountUtil.release(message);
		decoder.finishAndReleaseAll();
		return message;
	}

}
