package io.herald.relay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.herald.mqtt.MqttCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * Valid MQTT packets of the kinds browsers and brokers send, in MQTT 3.1, 3.1.1 and 5,
 * encoded once from random parameters; sessions drawn from them; and the ways
 * {@link MqttGuardFuzzTests} breaks them: flipped, overwritten, inserted and deleted
 * bytes, truncation, bad lengths and random chunking.
 */
final class FuzzCorpus {

	/**
	 * Tokens the fuzz's {@link RelayAccess} knows: admitted, admitted but expired,
	 * decided later.
	 */
	static final String GOOD = "good-token";

	static final String EXPIRING = "expiring-token";

	static final String SLOW = "slow-token";

	private static final String[] TOKENS = { GOOD, GOOD, GOOD, EXPIRING, SLOW, SLOW, "forged-token", "", null, null };

	private static final String[] CLIENT_IDS = { "browser-1", "", "a|b", "%7C|", "ü-client", "x".repeat(40) };

	private static final String[] FILTERS = { "/news/#", "/news/+/sport", "/news/europe/a", "/news/x/1", "/news/x/2",
			"/news/x/3", "/secret/#", "#", "+", "", "a/#/b", "a+", "/news/\u0000", "$SYS/#",
			"/news/" + "y".repeat(300) };

	private static final String[] TOPICS = { "/news/europe/a", "/news/europe/", "/news/europe/ü", "/news/asia/b",
			"/secret", "", "/news/#", "a+b", "/news/europe/\u0000", "$SYS/x", "/news/europe/" + "z".repeat(200) };

	private static final String[] BROKER_TOPICS = { "/news/europe/a", "/news/asia/b", "/news/ü", "$SYS/uptime" };

	private static final byte[][] CONTROL = { hex("40 02 00 07"), hex("50 02 00 07"), hex("62 02 00 07"),
			hex("70 02 00 07"), hex("C0 00"), hex("C0 00"), hex("E0 00"), hex("F0 00"), hex("D0 00") };

	/** What a broker sends besides CONNACKs, SUBACKs and PUBLISHes, in any version. */
	private static final byte[][] BROKER_CONTROL = { hex("40 02 00 07"), hex("50 02 00 07"), hex("62 02 00 07"),
			hex("70 02 00 07"), hex("D0 00"), hex("E0 00") };

	private final int maxPacket;

	private final Map<MqttVersion, List<byte[]>> connects = new EnumMap<>(MqttVersion.class);

	private final Map<MqttVersion, List<byte[]>> subscribes = new EnumMap<>(MqttVersion.class);

	private final Map<MqttVersion, List<byte[]>> unsubscribes = new EnumMap<>(MqttVersion.class);

	private final Map<MqttVersion, List<byte[]>> publishes = new EnumMap<>(MqttVersion.class);

	private final Map<MqttVersion, List<byte[]>> brokerPackets = new EnumMap<>(MqttVersion.class);

	FuzzCorpus(Random random, int maxPacket) {
		this.maxPacket = maxPacket;
		for (MqttVersion version : List.of(MqttVersion.MQTT_3_1, MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5)) {
			this.connects.put(version, encodeAll(200, () -> connect(random, version), version));
			this.subscribes.put(version, encodeAll(300, () -> subscribe(random, version), version));
			this.unsubscribes.put(version, encodeAll(60, () -> unsubscribe(random), version));
			this.publishes.put(version, encodeAll(400, () -> publish(random, version), version));
			List<byte[]> broker = new ArrayList<>(encodeAll(100, () -> brokerPublish(random), version));
			for (int i = 0; i < 100; i++) {
				int[] codes = random.ints(1 + random.nextInt(4), 0, 3).toArray();
				int packetId = 1 + random.nextInt(8);
				broker.add(bytes(MqttReplies.subAck(version, packetId, MqttProperties.NO_PROPERTIES, codes)));
			}
			this.brokerPackets.put(version, broker);
		}
	}

	/** Draw the protocol version a session speaks. */
	static MqttVersion version(Random random) {
		int draw = random.nextInt(10);
		return (draw == 0) ? MqttVersion.MQTT_3_1 : (draw < 5) ? MqttVersion.MQTT_3_1_1 : MqttVersion.MQTT_5;
	}

	/**
	 * What one browser sends: mostly a CONNECT, then packets of every kind, a few of
	 * another version.
	 */
	List<byte[]> browserSession(Random random, MqttVersion version) {
		List<byte[]> packets = new ArrayList<>();
		if (random.nextInt(10) > 0) {
			packets.add(pick(random, this.connects.get(version)));
		}
		if (random.nextInt(50) == 0) {
			// Over the publish rate: 100 per second, 200 at once.
			byte[] publish = bytes(MqttMessageBuilders.publish()
				.topicName("/news/europe/burst")
				.qos(MqttQoS.AT_MOST_ONCE)
				.payload(Unpooled.wrappedBuffer(new byte[1]))
				.build(), version);
			for (int i = 0; i < 250; i++) {
				packets.add(publish);
			}
			return packets;
		}
		int count = random.nextInt(12);
		for (int i = 0; i < count; i++) {
			MqttVersion of = (random.nextInt(10) == 0) ? version(random) : version;
			int draw = random.nextInt(100);
			packets.add((draw < 35) ? pick(random, this.publishes.get(of))
					: (draw < 55) ? pick(random, this.subscribes.get(of))
							: (draw < 60) ? pick(random, this.unsubscribes.get(of))
									: (draw < 62) ? pick(random, this.connects.get(of))
											: (draw < 67) ? randomBytes(random, 1 + random.nextInt(40))
													: CONTROL[random.nextInt(CONTROL.length)]);
		}
		return packets;
	}

	/**
	 * What the broker sends that browser: a CONNACK, then SUBACKs, PUBLISHes and the
	 * rest.
	 */
	List<byte[]> brokerSession(Random random, MqttVersion version) {
		List<byte[]> packets = new ArrayList<>();
		packets.add(bytes(MqttReplies.connAck(version, MqttConnectReturnCode.CONNECTION_ACCEPTED,
				MqttConnectReturnCode.CONNECTION_ACCEPTED)));
		int count = random.nextInt(8);
		for (int i = 0; i < count; i++) {
			packets.add((random.nextInt(6) > 0) ? pick(random, this.brokerPackets.get(version))
					: BROKER_CONTROL[random.nextInt(BROKER_CONTROL.length)]);
		}
		return packets;
	}

	/**
	 * The version a session's first packet says it speaks, if it is a CONNECT the corpus
	 * made.
	 */
	static MqttVersion spoken(List<byte[]> packets, MqttVersion otherwise) {
		byte[] first = packets.isEmpty() ? new byte[0] : packets.get(0);
		if (first.length < 12 || (first[0] & 0xFF) != 0x10) {
			return otherwise;
		}
		int header = 1;
		while (header < 4 && (first[header] & 0x80) != 0) {
			header++;
		}
		int nameLength = ((first[header + 1] & 0xFF) << 8) | (first[header + 2] & 0xFF);
		int level = header + 3 + nameLength;
		return (level < first.length && first[level] == 5) ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
	}

	/** Break {@code stream} in one to three places. */
	static byte[] mutate(Random random, byte[] stream) {
		byte[] mutated = stream;
		int times = 1 + random.nextInt(3);
		for (int i = 0; i < times && mutated.length > 0; i++) {
			mutated = mutateOnce(random, mutated);
		}
		return mutated;
	}

	private static byte[] mutateOnce(Random random, byte[] stream) {
		int at = random.nextInt(stream.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream(stream.length + 16);
		switch (random.nextInt(7)) {
			case 0 -> {
				byte[] copy = stream.clone();
				copy[at] ^= (byte) (1 << random.nextInt(8));
				return copy;
			}
			case 1 -> {
				byte[] copy = stream.clone();
				int[] values = { 0x00, 0xFF, 0x7F, 0x80, random.nextInt(256) };
				copy[at] = (byte) values[random.nextInt(values.length)];
				return copy;
			}
			case 2 -> {
				out.write(stream, 0, at);
				out.writeBytes(randomBytes(random, 1 + random.nextInt(8)));
				out.write(stream, at, stream.length - at);
			}
			case 3 -> {
				int length = Math.min(stream.length - at, 1 + random.nextInt(8));
				out.write(stream, 0, at);
				out.write(stream, at + length, stream.length - at - length);
			}
			case 4 -> out.write(stream, 0, at);
			case 5 -> {
				// A remaining length of any size, five bytes long included, where a
				// packet could start.
				out.write(stream, 0, at);
				out.write(0x10 + (random.nextInt(15) << 4));
				int lengthBytes = 1 + random.nextInt(5);
				for (int i = 0; i < lengthBytes; i++) {
					out.write((i < lengthBytes - 1) ? 0x80 | random.nextInt(128) : random.nextInt(128));
				}
				out.write(stream, at, stream.length - at);
			}
			default -> {
				int length = Math.min(stream.length - at, 1 + random.nextInt(64));
				out.write(stream, 0, at + length);
				out.write(stream, at, stream.length - at);
			}
		}
		return out.toByteArray();
	}

	/**
	 * Cut {@code stream} into the chunks it arrives in: whole, byte by byte, or in random
	 * sizes.
	 */
	static List<byte[]> chunks(Random random, byte[] stream) {
		List<byte[]> chunks = new ArrayList<>();
		int mode = random.nextInt(4);
		for (int at = 0; at < stream.length;) {
			int size = switch (mode) {
				case 0 -> stream.length;
				case 1 -> (stream.length < 400) ? 1 : 1 + random.nextInt(8);
				case 2 -> 1 + random.nextInt(16);
				default -> 1 + random.nextInt(1024);
			};
			int end = Math.min(stream.length, at + size);
			chunks.add(Arrays.copyOfRange(stream, at, end));
			at = end;
		}
		return chunks;
	}

	static byte[] concat(List<byte[]> packets) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		packets.forEach(out::writeBytes);
		return out.toByteArray();
	}

	private MqttMessage connect(Random random, MqttVersion version) {
		String token = TOKENS[random.nextInt(TOKENS.length)];
		String clientId = CLIENT_IDS[random.nextInt(CLIENT_IDS.length)];
		if (version == MqttVersion.MQTT_3_1 && (clientId.isEmpty() || clientId.length() > 23)) {
			// The encoder keeps to MQTT 3.1's 1 to 23 characters; mutations break them.
			clientId = "browser-3.1";
		}
		MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
			.protocolVersion(version)
			.clientId(clientId)
			.cleanSession(random.nextBoolean())
			.keepAlive(random.nextInt(120));
		if (token != null) {
			connect.hasUser(random.nextBoolean())
				.username("token")
				.hasPassword(true)
				.password(token.getBytes(StandardCharsets.UTF_8));
		}
		if (random.nextInt(5) == 0) {
			connect.willFlag(true)
				.willQoS(MqttQoS.valueOf(random.nextInt(3)))
				.willTopic(TOPICS[random.nextInt(TOPICS.length)])
				.willMessage(new byte[random.nextInt(20)]);
		}
		if (version == MqttVersion.MQTT_5 && random.nextBoolean()) {
			MqttProperties properties = new MqttProperties();
			properties.add(new MqttProperties.IntegerProperty(
					MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), random.nextInt(3600)));
			connect.properties(properties);
		}
		return connect.build();
	}

	private static MqttMessage subscribe(Random random, MqttVersion version) {
		MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe()
			.messageId(1 + random.nextInt(8));
		int filters = 1 + random.nextInt(4);
		for (int i = 0; i < filters; i++) {
			subscribe.addSubscription(MqttQoS.valueOf(random.nextInt(3)), FILTERS[random.nextInt(FILTERS.length)]);
		}
		if (version == MqttVersion.MQTT_5 && random.nextInt(3) == 0) {
			MqttProperties properties = new MqttProperties();
			properties.add(new MqttProperties.IntegerProperty(
					MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 1 + random.nextInt(1000)));
			subscribe.properties(properties);
		}
		return subscribe.build();
	}

	private static MqttMessage unsubscribe(Random random) {
		MqttMessageBuilders.UnsubscribeBuilder unsubscribe = MqttMessageBuilders.unsubscribe()
			.messageId(1 + random.nextInt(8));
		int filters = 1 + random.nextInt(3);
		for (int i = 0; i < filters; i++) {
			unsubscribe.addTopicFilter(FILTERS[random.nextInt(FILTERS.length)]);
		}
		return unsubscribe.build();
	}

	private MqttMessage publish(Random random, MqttVersion version) {
		int qos = random.nextInt(3);
		// Mostly small, now and then larger than the gate holds: a PUBLISH is read up to
		// its topic only.
		int payload = (random.nextInt(20) == 0) ? this.maxPacket + random.nextInt(this.maxPacket) : random.nextInt(64);
		String topic = TOPICS[random.nextInt(TOPICS.length)];
		MqttProperties properties = new MqttProperties();
		if (version == MqttVersion.MQTT_5 && random.nextInt(3) == 0) {
			properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(),
					random.nextInt(5)));
			if (random.nextBoolean()) {
				topic = "";
			}
		}
		return MqttMessageBuilders.publish()
			.topicName(topic)
			.qos(MqttQoS.valueOf(qos))
			.retained(random.nextInt(10) == 0)
			.messageId((qos > 0) ? 1 + random.nextInt(65_535) : 0)
			.properties(properties)
			.payload(Unpooled.wrappedBuffer(randomBytes(random, payload)))
			.build();
	}

	/** A PUBLISH as a broker delivers it: to a topic name, with no topic alias. */
	private static MqttMessage brokerPublish(Random random) {
		int qos = random.nextInt(3);
		return MqttMessageBuilders.publish()
			.topicName(BROKER_TOPICS[random.nextInt(BROKER_TOPICS.length)])
			.qos(MqttQoS.valueOf(qos))
			.messageId((qos > 0) ? 1 + random.nextInt(65_535) : 0)
			.payload(Unpooled.wrappedBuffer(randomBytes(random, random.nextInt(200))))
			.build();
	}

	private static List<byte[]> encodeAll(int count, Supplier<MqttMessage> messages, MqttVersion version) {
		List<byte[]> encoded = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			encoded.add(bytes(messages.get(), version));
		}
		return encoded;
	}

	private static byte[] bytes(MqttMessage message, MqttVersion version) {
		return bytes(MqttCodec.encode(message, version));
	}

	private static byte[] bytes(ByteBuf encoded) {
		try {
			return ByteBufUtil.getBytes(encoded);
		}
		finally {
			encoded.release();
		}
	}

	private static byte[] pick(Random random, List<byte[]> packets) {
		return packets.get(random.nextInt(packets.size()));
	}

	private static byte[] randomBytes(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] hex(String bytes) {
		return HexFormat.ofDelimiter(" ").parseHex(bytes);
	}

}
