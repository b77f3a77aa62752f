package io.herald.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.MqttCodec;
import io.herald.mqtt.MqttFramer;
import io.herald.mqtt.PacketStream;
import io.herald.mqtt.PacketStream.Handling;
import io.herald.mqtt.TopicFilter;
import io.herald.security.TopicRights;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;

/**
 * One browser's subscriptions as Herald lets them through: each SUBSCRIBE's filters
 * checked against its rights and its limit, denied ones answered with a failure in their
 * own SUBACK slot while the others still go to the broker, whose SUBACK is widened back
 * to the browser's filters. Only SUBACKs and the broker's CONNACK are read on the way
 * back: Herald's own answers wait for that CONNACK, which MQTT has the browser get first,
 * and go in between the broker's packets. Every other byte from the broker passes as it
 * came.
 */
final class Subscriptions implements PacketStream.Handler {

	private static final int CONNACK = 2;

	private static final int SUBACK = 9;

	/** The largest CONNACK or SUBACK from the broker Herald holds to read. */
	private static final int MAX_HELD = 65_536;

	/**
	 * How a shared subscription begins (MQTT 5, and the MQTT 3.1.1 of brokers that have
	 * them).
	 */
	private static final String SHARED = "$share/";

	/** A slot the broker's SUBACK fills. */
	private static final int BROKER = -1;

	private final MqttGuard.Output out;

	private final int max;

	private final Set<String> active = new HashSet<>();

	/**
	 * The most SUBSCRIBEs one browser may have awaiting their SUBACK: as many as there
	 * are packet ids.
	 */
	private static final int MAX_AWAITING = 65_535;

	/**
	 * Each SUBSCRIBE the broker is still to answer, in the order sent: a browser may
	 * reuse a packet id (MQTT forbids it, brokers allow it), so a SUBACK is matched to
	 * the first SUBSCRIBE with its id.
	 */
	private final Deque<Awaiting> awaiting = new ArrayDeque<>();

	private final PacketStream brokerPackets;

	/**
	 * Herald's own answers to the browser, waiting for the broker's CONNACK or the end of
	 * a packet.
	 */
	private final Queue<ByteBuf> waiting = new ArrayDeque<>();

	private boolean connAckSeen;

	/**
	 * The client id Herald assigned the browser, for the CONNACK to tell it, or
	 * {@code null}.
	 */
	private @Nullable String assignedClientId;

	/** How the broker's current packet is handled. */
	private Handling handling = Handling.PASS;

	private MqttVersion version = MqttVersion.MQTT_3_1_1;

	Subscriptions(MqttGuard.Output out, int max) {
		this.out = out;
		this.max = max;
		this.brokerPackets = new PacketStream(this, MAX_HELD, out.alloc());
	}

	/**
	 * Let a SUBSCRIBE through, whole or in part, or answer it.
	 * @throws RefusedException if the browser cannot be told of a denial (MQTT 3.1)
	 */
	void subscribe(ByteBuf original, MqttMessage decoded, TopicRights rights, MqttVersion version) {
		MqttSubscribeMessage message = (MqttSubscribeMessage) decoded;
		List<MqttTopicSubscription> requested = message.payload().topicSubscriptions();
		if (requested.isEmpty()) {
			original.release();
			throw new MqttFramer.MalformedPacketException("SUBSCRIBE without a topic filter");
		}
		int[] codes = new int[requested.size()];
		List<MqttTopicSubscription> allowed = new ArrayList<>(requested.size());
		Set<String> adding = new HashSet<>();
		for (int i = 0; i < codes.length; i++) {
			String filter = checked(requested.get(i).topicFilter(), original);
			if (!rights.maySubscribe(receiving(filter))) {
				this.out.denied(RelayMetrics.Rule.SUBSCRIBE);
				codes[i] = (version == MqttVersion.MQTT_5) ? MqttReplies.NOT_AUTHORIZED : MqttReplies.FAILURE;
			}
			else if (!this.active.contains(filter) && !adding.contains(filter)
					&& this.active.size() + adding.size() >= this.max) {
				codes[i] = (version == MqttVersion.MQTT_5) ? MqttReplies.QUOTA_EXCEEDED : MqttReplies.FAILURE;
			}
			else {
				codes[i] = BROKER;
				adding.add(filter);
				allowed.add(requested.get(i));
			}
		}
		if (allowed.size() < codes.length && version == MqttVersion.MQTT_3_1) {
			original.release();
			throw new RefusedException("Not authorized to subscribe (MQTT 3.1 has no SUBACK failure code)");
		}
		this.active.addAll(adding);
		int packetId = message.idAndPropertiesVariableHeader().messageId();
		if (!allowed.isEmpty() && this.awaiting.size() >= MAX_AWAITING) {
			original.release();
			throw new MqttFramer.MalformedPacketException(
					"more than " + MAX_AWAITING + " SUBSCRIBEs awaiting their SUBACK");
		}
		if (allowed.size() == codes.length) {
			this.awaiting.add(new Awaiting(packetId, null));
			this.out.toBroker(original);
			return;
		}
		original.release();
		if (allowed.isEmpty()) {
			// The SUBSCRIBE's properties are not the SUBACK's to carry: MQTT 5 allows it
			// no Subscription Identifier.
			reply(MqttReplies.subAck(version, packetId, MqttProperties.NO_PROPERTIES, codes));
			return;
		}
		this.version = version;
		this.awaiting.add(new Awaiting(packetId, codes));
		MqttSubscribeMessage rewritten = new MqttSubscribeMessage(message.fixedHeader(),
				message.idAndPropertiesVariableHeader(), new MqttSubscribePayload(allowed));
		this.out.toBroker(MqttCodec.encode(rewritten, version));
	}

	/** Let an UNSUBSCRIBE through as it came, forgetting its filters. */
	void unsubscribe(ByteBuf original, MqttMessage decoded) {
		for (String filter : ((MqttUnsubscribeMessage) decoded).payload().topics()) {
			this.active.remove(checked(filter, original));
		}
		this.out.toBroker(original);
	}

	private static String checked(String filter, ByteBuf original) {
		try {
			TopicFilter.of(filter);
		}
		catch (InvalidTopicException ex) {
			original.release();
			throw new MqttFramer.MalformedPacketException("topic filter " + ex.getMessage());
		}
		if (filter.indexOf('\uFFFD') >= 0) {
			original.release();
			throw new MqttFramer.MalformedPacketException("topic filter is not valid UTF-8");
		}
		return filter;
	}

	/**
	 * The filter whose messages a subscription to {@code filter} receives: for a shared
	 * subscription {@code $share/<group>/<filter>}, the filter after the group, so that
	 * it is judged as a plain subscription to that filter would be; otherwise
	 * {@code filter} itself (a malformed shared subscription is then judged as a
	 * {@code $}-topic filter, which the broker refuses anyway).
	 */
	static String receiving(String filter) {
		if (!filter.startsWith(SHARED)) {
			return filter;
		}
		int end = filter.indexOf('/', SHARED.length());
		if (end <= SHARED.length() || end == filter.length() - 1) {
			return filter;
		}
		String group = filter.substring(SHARED.length(), end);
		return (group.indexOf('+') < 0 && group.indexOf('#') < 0) ? filter.substring(end + 1) : filter;
	}

	/**
	 * Herald assigned the browser {@code clientId}: the CONNACK is to tell it, as a
	 * broker's would.
	 */
	void assignedClientId(String clientId) {
		this.assignedClientId = clientId;
	}

	/**
	 * Send the browser a packet Herald answers with itself (ownership passes): between
	 * two of the broker's packets, never inside one that is still arriving, and never
	 * before the broker's CONNACK, which MQTT has the browser get first.
	 */
	void reply(ByteBuf packet) {
		if (this.connAckSeen && this.waiting.isEmpty() && this.brokerPackets.atBoundary()) {
			this.out.toBrowser(packet);
		}
		else {
			this.waiting.add(packet);
		}
	}

	/**
	 * Bytes from the broker, on their way to the browser; ownership passes.
	 * @throws MqttFramer.MalformedPacketException if they are not MQTT as Herald reads it
	 */
	void fromBroker(ByteBuf chunk, MqttVersion version) {
		try {
			this.brokerPackets.feed(chunk);
		}
		catch (PacketStream.PacketTooLargeException ex) {
			throw new MqttFramer.MalformedPacketException(
					"a CONNACK or SUBACK larger than the " + MAX_HELD + " bytes Herald reads");
		}
		if (this.connAckSeen && this.brokerPackets.atBoundary()) {
			sendWaiting();
		}
	}

	void discard() {
		this.brokerPackets.discard();
		ByteBuf packet;
		while ((packet = this.waiting.poll()) != null) {
			packet.release();
		}
	}

	@Override
	public Handling begin(int type, int flags) {
		this.out.packetSeen(RelayMetrics.Direction.TO_BROWSER, type);
		if ((type == CONNACK && !this.connAckSeen) || (type == SUBACK && !this.awaiting.isEmpty())) {
			this.handling = Handling.HOLD;
		}
		else {
			// Herald's waiting answers go in before this packet: its fixed header is
			// where it begins.
			this.handling = (this.connAckSeen && !this.waiting.isEmpty()) ? Handling.HEAD : Handling.PASS;
		}
		return this.handling;
	}

	@Override
	public int headLength(int type, int flags, ByteBuf head, int bodyBytes) {
		return 0;
	}

	@Override
	public Handling decide(ByteBuf packet, int type, int flags, int remainingLength) {
		if (type == CONNACK && !this.connAckSeen) {
			this.connAckSeen = true;
			this.out.toBrowser(
					(this.assignedClientId != null) ? BrokerConnect.connAck(packet, this.assignedClientId) : packet);
			sendWaiting();
			return Handling.SKIP;
		}
		sendWaiting();
		if (this.handling == Handling.HEAD) {
			this.out.toBrowser(packet);
			return Handling.PASS;
		}
		if (remainingLength < 2) {
			packet.release();
			throw new MqttFramer.MalformedPacketException("SUBACK without a packet id");
		}
		int packetId = packet.getUnsignedShort(packet.writerIndex() - remainingLength);
		int[] codes = answered(packetId);
		if (codes == null) {
			this.out.toBrowser(packet);
			return Handling.SKIP;
		}
		MqttMessage message = MqttCodec.decode(packet, this.version);
		if (message.decoderResult().isFailure()) {
			throw new MqttFramer.MalformedPacketException("SUBACK: " + message.decoderResult().cause().getMessage());
		}
		MqttSubAckMessage subAck = (MqttSubAckMessage) message;
		if (subAck.payload().typedReasonCodes().contains(null)) {
			throw new MqttFramer.MalformedPacketException("SUBACK with a reason code MQTT does not define");
		}
		List<Integer> fromBroker = subAck.payload().reasonCodes();
		int next = 0;
		for (int i = 0; i < codes.length; i++) {
			if (codes[i] == BROKER) {
				codes[i] = (next < fromBroker.size()) ? fromBroker.get(next++) : MqttReplies.FAILURE;
			}
		}
		this.out.toBrowser(
				MqttReplies.subAck(this.version, packetId, subAck.idAndPropertiesVariableHeader().properties(), codes));
		return Handling.SKIP;
	}

	/**
	 * The browser's SUBACK codes for the first SUBSCRIBE awaiting the SUBACK with this
	 * id, if Herald rewrote it.
	 */
	private int @Nullable [] answered(int packetId) {
		for (Iterator<Awaiting> it = this.awaiting.iterator(); it.hasNext();) {
			Awaiting subscribe = it.next();
			if (subscribe.packetId() == packetId) {
				it.remove();
				return subscribe.codes();
			}
		}
		return null;
	}

	private void sendWaiting() {
		ByteBuf answer;
		while ((answer = this.waiting.poll()) != null) {
			this.out.toBrowser(answer);
		}
	}

	@Override
	public void pass(ByteBuf bytes) {
		this.out.toBrowser(bytes);
	}

	/**
	 * A SUBSCRIBE sent to the broker: its packet id, and the browser's SUBACK codes if
	 * Herald rewrote it.
	 */
	private record Awaiting(int packetId, int @Nullable [] codes) {

	}

	/** The session cannot go on within the rules. */
	static final class RefusedException extends RuntimeException {

		RefusedException(String message) {
			super(message);
		}

	}

}
