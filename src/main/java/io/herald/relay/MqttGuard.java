package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.MqttCodec;
import io.herald.mqtt.MqttFramer;
import io.herald.mqtt.PacketStream;
import io.herald.mqtt.PacketStream.Handling;
import io.herald.mqtt.TopicFilter;
import io.herald.security.TopicRights;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's gate on one browser's MQTT session, the same on both endpoints: CONNECT first
 * and in time, with a token the browser's rights come from; the CONNECT the broker sees
 * carries Herald's credentials and a client id bound to the identity; SUBSCRIBE and
 * PUBLISH only within the rights and limits. Everything else passes as it came. Runs on
 * its link's event loop.
 */
final class MqttGuard implements PacketStream.Handler {

	private static final Logger logger = LoggerFactory.getLogger(MqttGuard.class);

	private static final int CONNECT = 1;

	private static final int PUBLISH = 3;

	private static final int SUBSCRIBE = 8;

	private static final int UNSUBSCRIBE = 10;

	/** What a refused PUBLISH's alias maps to: no topic name, so no rights cover it. */
	private static final String REFUSED_ALIAS = new String("\u0000refused");

	private final Output out;

	private final RelayAccess access;

	private final GuardSettings settings;

	private final @Nullable String urlToken;

	private final PacketStream browserPackets;

	private final Subscriptions subscriptions;

	private final PublishRate publishRate;

	/** What the browser sent while its CONNECT was being decided, in order. */
	private final Queue<ByteBuf> stalled = new ArrayDeque<>();

	private @Nullable ScheduledFuture<?> timer;

	private boolean connectSeen;

	private boolean deciding;

	private boolean closed;

	private MqttVersion version = MqttVersion.MQTT_3_1_1;

	private TopicRights rights = TopicRights.none();

	/**
	 * The topic of each MQTT 5 alias the browser set, so that a PUBLISH by alias is
	 * judged on its topic; an alias last set by a refused PUBLISH maps to
	 * {@link #REFUSED_ALIAS}, so that what is published by it is refused too, without
	 * keeping the refused topic.
	 */
	private final Map<Integer, String> aliases = new HashMap<>();

	MqttGuard(Output out, RelayAccess access, GuardSettings settings, @Nullable String urlToken) {
		this.out = out;
		this.access = access;
		this.settings = settings;
		this.urlToken = urlToken;
		this.browserPackets = new PacketStream(this, settings.maxPacketSize(), out.alloc());
		this.subscriptions = new Subscriptions(out, settings.maxSubscriptions());
		this.publishRate = new PublishRate(settings.maxPublishRate(), settings.publishBurst());
		this.timer = out.eventLoop()
			.schedule(this::connectTimedOut, settings.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Bytes from the browser; ownership passes. */
	void fromBrowser(ByteBuf chunk) {
		if (this.closed) {
			chunk.release();
		}
		else if (this.deciding || !this.stalled.isEmpty()) {
			this.stalled.add(chunk);
		}
		else {
			feed(chunk);
		}
	}

	/** Bytes from the broker; ownership passes. */
	void fromBroker(ByteBuf chunk) {
		this.subscriptions.fromBroker(chunk, this.version);
	}

	/**
	 * The broker cannot be reached for a browser let in: tell it so, as MQTT does, before
	 * it is closed.
	 */
	void brokerUnavailable() {
		if (!this.closed) {
			this.out.toBrowser(
					MqttReplies.connAck(this.version, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
							MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5));
		}
	}

	/** The session is over: stop timers, drop what is held. */
	void close() {
		this.closed = true;
		cancelTimer();
		this.browserPackets.discard();
		this.subscriptions.discard();
		ByteBuf chunk;
		while ((chunk = this.stalled.poll()) != null) {
			chunk.release();
		}
	}

	private void feed(ByteBuf chunk) {
		try {
			ByteBuf rest = this.browserPackets.feed(chunk);
			if (rest != null) {
				this.stalled.add(rest);
			}
		}
		catch (MqttFramer.MalformedPacketException ex) {
			refuse(CloseCause.malformedFromBrowser(ex.getMessage()));
		}
		catch (PacketStream.PacketTooLargeException ex) {
			refuse(CloseCause.tooLarge(ex.getMessage()));
		}
	}

	@Override
	public Handling begin(int type, int flags) {
		if (!this.connectSeen && type != CONNECT) {
			throw new MqttFramer.MalformedPacketException("the first packet must be CONNECT");
		}
		this.out.packetSeen(RelayMetrics.Direction.TO_BROKER, type);
		return switch (type) {
			case CONNECT -> {
				if (this.connectSeen) {
					throw new MqttFramer.MalformedPacketException("a second CONNECT");
				}
				yield Handling.HOLD;
			}
			case SUBSCRIBE, UNSUBSCRIBE -> Handling.HOLD;
			case PUBLISH -> Handling.HEAD;
			default -> Handling.PASS;
		};
	}

	@Override
	public int headLength(int type, int flags, ByteBuf head, int bodyBytes) {
		int body = head.writerIndex() - bodyBytes;
		if (bodyBytes < 2) {
			return -1;
		}
		int length = 2 + head.getUnsignedShort(body) + ((((flags >> 1) & 3) > 0) ? 2 : 0);
		if (this.version != MqttVersion.MQTT_5) {
			return length;
		}
		int propertiesLength = 0;
		for (int i = 0; i < 4; i++) {
			if (bodyBytes < length + i + 1) {
				return -1;
			}
			int encoded = head.getByte(body + length + i) & 0xFF;
			propertiesLength |= (encoded & 0x7F) << (7 * i);
			if ((encoded & 0x80) == 0) {
				return length + i + 1 + propertiesLength;
			}
		}
		throw new MqttFramer.MalformedPacketException("MQTT property length longer than four bytes");
	}

	@Override
	public Handling decide(ByteBuf packet, int type, int flags, int remainingLength) {
		return switch (type) {
			case CONNECT -> connect(packet);
			case SUBSCRIBE -> subscribe(packet, true);
			case UNSUBSCRIBE -> subscribe(packet, false);
			default -> publish(packet, flags, remainingLength);
		};
	}

	@Override
	public void pass(ByteBuf bytes) {
		this.out.toBroker(bytes);
	}

	private Handling connect(ByteBuf packet) {
		this.connectSeen = true;
		cancelTimer();
		MqttMessage message = MqttCodec.decode(packet, MqttVersion.MQTT_3_1_1);
		Throwable failure = message.decoderResult().cause();
		if (failure instanceof MqttUnacceptableProtocolVersionException) {
			this.out.toBrowser(MqttReplies.connAck(MqttVersion.MQTT_3_1_1,
					MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
					MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION));
			refuse(CloseCause.protocolError("Unacceptable MQTT protocol version"));
			return Handling.STALL;
		}
		if (failure instanceof MqttIdentifierRejectedException) {
			// Only MQTT 3.1 limits a client id (1 to 23 characters) before Herald sees
			// it.
			this.out.toBrowser(MqttReplies.connAck(MqttVersion.MQTT_3_1,
					MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
					MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID));
			refuse(CloseCause.protocolError("Client id rejected: MQTT 3.1 allows 1 to 23 characters"));
			return Handling.STALL;
		}
		if (failure != null) {
			throw new MqttFramer.MalformedPacketException("CONNECT: " + failure.getMessage());
		}
		MqttConnectMessage connect = (MqttConnectMessage) message;
		this.version = MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
				(byte) connect.variableHeader().version());
		byte[] password = connect.payload().passwordInBytes();
		String token = (connect.variableHeader().hasPassword() && password != null)
				? new String(password, StandardCharsets.UTF_8) : this.urlToken;
		String clientId = connect.payload().clientIdentifier();
		this.deciding = true;
		this.out.readBrowser(false);
		this.access.admit(token, clientId).whenComplete((admission, refusal) -> this.out.eventLoop().execute(() -> {
			if (refusal != null) {
				refused(refusal);
			}
			else {
				admitted(connect, admission);
			}
		}));
		return Handling.STALL;
	}

	private void refused(Throwable refusal) {
		if (this.closed) {
			return;
		}
		Throwable cause = (refusal.getCause() != null && refusal instanceof java.util.concurrent.CompletionException)
				? refusal.getCause() : refusal;
		logger.debug("[{}] CONNECT refused: {}", this.out.id(), cause.getMessage());
		this.out.denied(RelayMetrics.Rule.CONNECT);
		notAuthorized("Not authorized: " + cause.getMessage());
	}

	private void admitted(MqttConnectMessage connect, RelayAccess.Admission admission) {
		if (this.closed) {
			return;
		}
		this.rights = admission.rights();
		if (connect.variableHeader().isWillFlag() && !this.rights.mayPublish(connect.payload().willTopic())) {
			this.out.denied(RelayMetrics.Rule.CONNECT);
			notAuthorized("Not authorized to publish the will to " + connect.payload().willTopic());
			return;
		}
		if (!BrokerConnect.clientIdFits(admission.subject(), connect.payload().clientIdentifier(), this.version)) {
			this.out.toBrowser(
					MqttReplies.connAck(this.version, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
							MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID));
			refuse(CloseCause
				.protocolError("Client id rejected: with the identity before it, it is longer than MQTT allows"));
			return;
		}
		String assigned = (this.version == MqttVersion.MQTT_5 && connect.payload().clientIdentifier().isEmpty())
				? BrokerConnect.newClientId() : null;
		if (assigned != null) {
			this.subscriptions.assignedClientId(assigned);
		}
		this.out.toBroker(MqttCodec.encode(BrokerConnect.rewrite(connect, admission.subject(), assigned, this.settings),
				this.version));
		this.out.admitted();
		logger.debug("[{}] CONNECT admitted for {}", this.out.id(),
				(admission.subject() != null) ? admission.subject() : "an anonymous browser");
		Instant expiresAt = admission.expiresAt();
		if (expiresAt != null) {
			long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toNanos());
			this.timer = this.out.eventLoop().schedule(this::expired, delay, TimeUnit.NANOSECONDS);
		}
		this.deciding = false;
		this.out.readBrowser(true);
		ByteBuf chunk;
		while (!this.deciding && !this.closed && (chunk = this.stalled.poll()) != null) {
			feed(chunk);
		}
	}

	private void notAuthorized(String reason) {
		this.out.toBrowser(MqttReplies.notAuthorized(this.version));
		refuse(CloseCause.policy(reason));
	}

	private Handling subscribe(ByteBuf packet, boolean subscribe) {
		MqttMessage message = MqttCodec.decode(packet.retainedDuplicate(), this.version);
		if (message.decoderResult().isFailure()) {
			packet.release();
			throw new MqttFramer.MalformedPacketException(
					(subscribe ? "SUBSCRIBE: " : "UNSUBSCRIBE: ") + message.decoderResult().cause().getMessage());
		}
		try {
			if (subscribe) {
				this.subscriptions.subscribe(packet, message, this.rights, this.version);
			}
			else {
				this.subscriptions.unsubscribe(packet, message);
			}
		}
		catch (Subscriptions.RefusedException ex) {
			refuse(CloseCause.policy(ex.getMessage()));
			return Handling.STALL;
		}
		return Handling.SKIP;
	}

	private Handling publish(ByteBuf head, int flags, int remainingLength) {
		int qos = (flags >> 1) & 3;
		if (!this.publishRate.tryAcquire(System.nanoTime())) {
			head.release();
			if (this.version == MqttVersion.MQTT_5) {
				this.subscriptions.reply(MqttReplies.disconnect(MqttReplies.RATE_TOO_HIGH));
			}
			refuse(CloseCause.policy("More than " + this.settings.maxPublishRate()
					+ " messages per second (herald.relay.max-publish-rate)"));
			return Handling.SKIP;
		}
		Published published;
		try {
			published = readPublish(head);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			head.release();
			throw ex;
		}
		if (this.rights.mayPublish(published.topic())) {
			if (published.alias() > 0) {
				this.aliases.put(published.alias(), published.topic());
			}
			this.out.toBroker(head);
			return Handling.PASS;
		}
		head.release();
		if (published.alias() > 0) {
			this.aliases.put(published.alias(), REFUSED_ALIAS);
		}
		logger.debug("[{}] PUBLISH refused", this.out.id());
		this.out.denied(RelayMetrics.Rule.PUBLISH);
		if (this.version != MqttVersion.MQTT_5) {
			refuse(CloseCause.policy(CloseReasons.fit("Not authorized to publish to "
					+ ((published.topic() == REFUSED_ALIAS) ? "a refused topic's alias" : published.topic()))));
		}
		else if (qos > 0) {
			this.subscriptions.reply(MqttReplies.publishRefused(qos, published.packetId()));
		}
		return Handling.SKIP;
	}

	/**
	 * Decode a PUBLISH's head (its fixed and variable headers) and resolve its topic
	 * alias.
	 */
	private Published readPublish(ByteBuf head) {
		int headerBytes = 1 + lengthBytes(head);
		int body = head.readableBytes() - headerBytes;
		ByteBuf alone = head.alloc().buffer(body + 5);
		alone.writeByte(head.getByte(head.readerIndex()));
		writeLength(alone, body);
		alone.writeBytes(head, head.readerIndex() + headerBytes, body);
		MqttMessage message = MqttCodec.decode(alone, this.version);
		if (message.decoderResult().isFailure()) {
			throw new MqttFramer.MalformedPacketException("PUBLISH: " + message.decoderResult().cause().getMessage());
		}
		MqttPublishMessage publish = (MqttPublishMessage) message;
		publish.release();
		String topic = publish.variableHeader().topicName();
		MqttProperties.MqttProperty<?> alias = publish.variableHeader()
			.properties()
			.getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value());
		if (alias != null) {
			topic = alias(topic, (Integer) alias.value());
		}
		if (topic == REFUSED_ALIAS) {
			return new Published(topic, publish.variableHeader().packetId(), 0);
		}
		try {
			TopicFilter.checkTopicName(topic);
		}
		catch (InvalidTopicException ex) {
			throw new MqttFramer.MalformedPacketException("PUBLISH topic " + ex.getMessage());
		}
		if (topic.indexOf('\uFFFD') >= 0) {
			throw new MqttFramer.MalformedPacketException("PUBLISH topic is not valid UTF-8");
		}
		int aliasSet = (alias != null && !publish.variableHeader().topicName().isEmpty()) ? (Integer) alias.value() : 0;
		return new Published(topic, publish.variableHeader().packetId(), aliasSet);
	}

	private String alias(String topic, int alias) {
		if (alias < 1) {
			throw new MqttFramer.MalformedPacketException("PUBLISH topic alias 0");
		}
		if (!topic.isEmpty()) {
			return topic;
		}
		String known = this.aliases.get(alias);
		if (known == null) {
			throw new MqttFramer.MalformedPacketException("PUBLISH by topic alias " + alias + " never set");
		}
		return known;
	}

	private static int lengthBytes(ByteBuf head) {
		int i = 1;
		while ((head.getByte(head.readerIndex() + i) & 0x80) != 0) {
			i++;
		}
		return i;
	}

	private static void writeLength(ByteBuf buffer, int length) {
		int value = length;
		do {
			int encoded = value & 0x7F;
			value >>>= 7;
			buffer.writeByte((value > 0) ? encoded | 0x80 : encoded);
		}
		while (value > 0);
	}

	private void connectTimedOut() {
		this.timer = null;
		if (!this.connectSeen && !this.closed) {
			refuse(CloseCause.policy("No CONNECT within " + this.settings.connectTimeout().toSeconds()
					+ "s (herald.relay.connect-timeout)"));
		}
	}

	private void expired() {
		this.timer = null;
		if (this.closed) {
			return;
		}
		if (this.version == MqttVersion.MQTT_5) {
			this.subscriptions.reply(MqttReplies.disconnect(MqttReplies.NOT_AUTHORIZED));
		}
		refuse(CloseCause.policy("Token expired"));
	}

	private void refuse(CloseCause cause) {
		if (this.closed) {
			return;
		}
		this.out.refuse(cause);
		close();
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	/**
	 * A PUBLISH's topic (its alias resolved), packet id, and the alias it sets, or
	 * {@code 0}.
	 */
	private record Published(String topic, int packetId, int alias) {

	}

	/** Where the guard's decisions go: its link. */
	interface Output {

		/** The connection id used in log lines. */
		String id();

		EventLoop eventLoop();

		/** Where the packets the guard holds while it reads them are allocated. */
		default ByteBufAllocator alloc() {
			return ByteBufAllocator.DEFAULT;
		}

		/** Bytes for the broker, in order; ownership passes. */
		void toBroker(ByteBuf bytes);

		/** A packet Herald answers the browser with; ownership passes. */
		void toBrowser(ByteBuf packet);

		/** The CONNECT is let in: connect to the broker and send it what was passed. */
		void admitted();

		/** The gate refused a packet under {@code rule}. */
		default void denied(RelayMetrics.Rule rule) {
		}

		/** Stop reading from the browser, or read again. */
		void readBrowser(boolean read);

		/**
		 * A packet of {@code type} begins, going {@code direction}: counted, and once
		 * either side sent DISCONNECT, the broker closing the connection next is normal.
		 */
		void packetSeen(RelayMetrics.Direction direction, int type);

		/** Close the browser after what was sent to it, and the broker at once. */
		void refuse(CloseCause cause);

	}

}
