package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.herald.mqtt.MqttCodec;
import io.herald.mqtt.MqttFramer;
import io.herald.security.TopicRights;
import io.herald.support.NettyLeakLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The gate packet by packet, without a network: what the broker and the browser each get.
 */
class MqttGuardTests {

	private static final String GOOD = "good-token";

	private final EmbeddedChannel loop = new EmbeddedChannel();

	private final Recorder out = new Recorder(this.loop.eventLoop());

	private final TopicRights rights = TopicRights.of(List.of("/news/#"), List.of("/news/europe/#"));

	private final RelayAccess access = (token, clientId) -> GOOD.equals(token)
			? CompletableFuture
				.completedFuture(new RelayAccess.Admission("alice", this.rights, Instant.now().plusSeconds(3600)))
			: CompletableFuture.failedFuture(new IllegalArgumentException("Bad token"));

	private final MqttGuard guard = new MqttGuard(this.out, this.access,
			new GuardSettings(64 * 1024, Duration.ofSeconds(10), 3, 100, 200, null, null), null);

	@AfterEach
	void release() {
		this.guard.close();
		this.out.release();
		this.loop.finishAndReleaseAll();
	}

	@Test
	void admittedConnectReachesBrokerWithBoundClientIdAndNoToken() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		assertThat(this.out.admitted).isTrue();
		MqttConnectMessage connect = (MqttConnectMessage) decode(this.out.toBroker.get(0), MqttVersion.MQTT_3_1_1);
		assertThat(connect.payload().clientIdentifier()).isEqualTo("alice|browser-1");
		assertThat(connect.variableHeader().hasPassword()).isFalse();
		assertThat(connect.variableHeader().hasUserName()).isFalse();
		assertThat(this.out.refused).isNull();
	}

	@Test
	void emptyClientIdOnMqtt5IsAssignedByHeraldBoundAndToldInTheConnack() {
		browser(connectPacket(MqttVersion.MQTT_5, GOOD, "", null), MqttVersion.MQTT_5);
		this.loop.runPendingTasks();
		MqttConnectMessage connect = (MqttConnectMessage) decode(this.out.toBroker.get(0), MqttVersion.MQTT_5);
		String bound = connect.payload().clientIdentifier();
		assertThat(bound).startsWith("alice|herald-");
		this.guard.fromBroker(brokerConnAck(MqttVersion.MQTT_5));
		MqttConnAckMessage connAck = (MqttConnAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(connAck.variableHeader()
			.properties()
			.getProperty(MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value())
			.value()).isEqualTo(bound.substring("alice|".length()));
	}

	@Test
	void emptyClientIdOnMqtt311StaysEmptyForTheBroker() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "");
		MqttConnectMessage connect = (MqttConnectMessage) decode(this.out.toBroker.get(0), MqttVersion.MQTT_3_1_1);
		assertThat(connect.payload().clientIdentifier()).isEmpty();
	}

	@Test
	void badTokenGetsNotAuthorizedAndTheBrokerIsNeverContacted() {
		connect(MqttVersion.MQTT_3_1_1, "forged", "browser-1");
		assertThat(this.out.admitted).isFalse();
		assertThat(this.out.toBroker).isEmpty();
		MqttConnAckMessage connAck = (MqttConnAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_3_1_1);
		assertThat(connAck.variableHeader().connectReturnCode())
			.isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.POLICY_VIOLATION);
	}

	@Test
	void badTokenOnMqtt5GetsReason0x87() {
		connect(MqttVersion.MQTT_5, "forged", "browser-1");
		MqttConnAckMessage connAck = (MqttConnAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(connAck.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x87);
	}

	@Test
	void subscribeBeforeConnectClosesWithProtocolError() {
		browser(subscribe(MqttVersion.MQTT_3_1_1, 1, "/news/#"), MqttVersion.MQTT_3_1_1);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.PROTOCOL_ERROR);
		assertThat(this.out.toBroker).isEmpty();
	}

	@Test
	void secondConnectClosesWithProtocolError() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(connectPacket(MqttVersion.MQTT_3_1_1, GOOD, "browser-1", null), MqttVersion.MQTT_3_1_1);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.PROTOCOL_ERROR);
	}

	@Test
	void deniedFilterGetsFailureInSubackWhileAllowedOnesReachTheBroker() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_3_1_1, 7, "/news/+/sport", "/secret/#", "/news/europe/sport"),
				MqttVersion.MQTT_3_1_1);
		MqttSubscribeMessage toBroker = (MqttSubscribeMessage) decode(this.out.toBroker.get(1), MqttVersion.MQTT_3_1_1);
		assertThat(toBroker.idAndPropertiesVariableHeader().messageId()).isEqualTo(7);
		assertThat(toBroker.payload().topicSubscriptions()).extracting("topicFilter")
			.containsExactly("/news/+/sport", "/news/europe/sport");
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 7, 1, 0));
		MqttSubAckMessage subAck = (MqttSubAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_3_1_1);
		assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x80, 0);
	}

	@Test
	void subAcksForAReusedPacketIdAnswerTheSubscribesInTheOrderSent() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_3_1_1, 5, "/news/a"), MqttVersion.MQTT_3_1_1);
		browser(subscribe(MqttVersion.MQTT_3_1_1, 5, "/news/b", "/secret/#"), MqttVersion.MQTT_3_1_1);
		browser(subscribe(MqttVersion.MQTT_3_1_1, 5, "/news/c"), MqttVersion.MQTT_3_1_1);
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 5, 0));
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 5, 1));
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 5, 2));
		assertThat(this.out.toBrowser)
			.extracting(
					(packet) -> ((MqttSubAckMessage) decode(packet, MqttVersion.MQTT_3_1_1)).payload().reasonCodes())
			.containsExactly(List.of(0), List.of(1, 0x80), List.of(2));
	}

	@Test
	void subAckForAnotherPacketIdPassesWhileARewrittenSubscribeAwaitsItsOwn() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_3_1_1, 1, "/news/b", "/secret/#"), MqttVersion.MQTT_3_1_1);
		browser(subscribe(MqttVersion.MQTT_3_1_1, 2, "/news/a"), MqttVersion.MQTT_3_1_1);
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 2, 1));
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 1, 0));
		assertThat(this.out.toBrowser)
			.extracting(
					(packet) -> ((MqttSubAckMessage) decode(packet, MqttVersion.MQTT_3_1_1)).payload().reasonCodes())
			.containsExactly(List.of(1), List.of(0, 0x80));
	}

	@Test
	void allDeniedIsAnsweredByHeraldOnMqtt5With0x87() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_5, 9, "/secret/#", "#"), MqttVersion.MQTT_5);
		assertThat(this.out.toBroker).hasSize(1);
		MqttSubAckMessage subAck = (MqttSubAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(subAck.payload().reasonCodes()).containsExactly(0x87, 0x87);
	}

	@Test
	void answersGivenBeforeTheBrokersConnAckFollowIt() {
		ByteBuf connect = connectPacket(MqttVersion.MQTT_3_1_1, GOOD, "browser-1", null);
		ByteBuf subscribe = subscribe(MqttVersion.MQTT_3_1_1, 3, "/secret/#");
		browser(Unpooled.wrappedBuffer(connect, subscribe), MqttVersion.MQTT_3_1_1);
		this.loop.runPendingTasks();
		assertThat(this.out.toBrowser).isEmpty();
		this.guard.fromBroker(brokerConnAck(MqttVersion.MQTT_3_1_1));
		assertThat(this.out.toBrowser)
			.extracting((packet) -> decode(packet, MqttVersion.MQTT_3_1_1).fixedHeader().messageType())
			.containsExactly(MqttMessageType.CONNACK, MqttMessageType.SUBACK);
	}

	@Test
	void subAckHeraldGivesCarriesNoneOfTheSubscribesProperties() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		MqttProperties properties = new MqttProperties();
		properties.add(new MqttProperties.IntegerProperty(
				MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 42));
		browser(MqttCodec.encode(MqttMessageBuilders.subscribe()
			.messageId(4)
			.properties(properties)
			.addSubscription(MqttQoS.AT_LEAST_ONCE, "/secret/#")
			.build(), MqttVersion.MQTT_5), MqttVersion.MQTT_5);
		MqttSubAckMessage subAck = (MqttSubAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(subAck.payload().reasonCodes()).containsExactly(0x87);
		assertThat(subAck.idAndPropertiesVariableHeader().properties().isEmpty()).isTrue();
	}

	@Test
	void answerHeraldGivesWaitsForTheEndOfThePacketTheBrokerIsSending() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		byte[] publish = bytes(publish(MqttVersion.MQTT_5, "/news/europe/sport", 0, 0, null, "goal"));
		this.guard.fromBroker(Unpooled.wrappedBuffer(publish, 0, 6));
		browser(subscribe(MqttVersion.MQTT_5, 4, "/secret/#"), MqttVersion.MQTT_5);
		assertThat(concat(this.out.toBrowser)).hasSize(6);
		this.guard.fromBroker(Unpooled.wrappedBuffer(publish, 6, publish.length - 6));
		byte[] browserGot = concat(this.out.toBrowser);
		assertThat(Arrays.copyOf(browserGot, publish.length)).isEqualTo(publish);
		MqttSubAckMessage subAck = (MqttSubAckMessage) decode(this.out.toBrowser.get(this.out.toBrowser.size() - 1),
				MqttVersion.MQTT_5);
		assertThat(subAck.payload().reasonCodes()).containsExactly(0x87);
	}

	@Test
	void brokerPacketSplitInsideItsFixedHeaderReachesTheBrowserWhole() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		// A remaining length of two bytes, each in a read of its own.
		byte[] publish = bytes(publish(MqttVersion.MQTT_3_1_1, "/news/europe/sport", 0, 0, null, "x".repeat(200)));
		for (byte b : publish) {
			this.guard.fromBroker(Unpooled.wrappedBuffer(new byte[] { b }));
		}
		assertThat(concat(this.out.toBrowser)).isEqualTo(publish);
	}

	@Test
	void browserPacketSplitInsideItsFixedHeaderReachesTheBrokerWhole() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		this.guard.fromBrowser(Unpooled.wrappedBuffer(new byte[] { (byte) 0xC0 }));
		this.guard.fromBrowser(Unpooled.wrappedBuffer(new byte[] { 0x00 }));
		assertThat(concat(this.out.toBroker.subList(1, this.out.toBroker.size())))
			.isEqualTo(new byte[] { (byte) 0xC0, 0x00 });
	}

	@Test
	void connectWhoseFieldsRunPastItsEndClosesWithProtocolError() {
		// A user name of 255 bytes, of which 1 is there.
		byte[] connect = HexFormat.ofDelimiter(" ").parseHex("10 10 00 04 4D 51 54 54 04 82 00 1E 00 01 61 00 FF 78");
		browser(Unpooled.wrappedBuffer(connect), MqttVersion.MQTT_3_1_1);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.PROTOCOL_ERROR);
		assertThat(this.out.refused.reason()).startsWith("Malformed MQTT: CONNECT: ");
		assertThat(this.out.toBroker).isEmpty();
	}

	@Test
	void mqtt31EmptyClientIdGetsIdentifierRejectedBeforeTheClose() {
		// Netty's encoder refuses to write this CONNECT, so it is written out by hand:
		// MQIsdp, level 3, id "".
		browser(Unpooled
			.wrappedBuffer(new byte[] { 0x10, 14, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 0x02, 0, 30, 0, 0 }),
				MqttVersion.MQTT_3_1);
		MqttConnAckMessage connAck = (MqttConnAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_3_1);
		assertThat(connAck.variableHeader().connectReturnCode())
			.isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.PROTOCOL_ERROR);
		assertThat(this.out.refused.reason()).contains("1 to 23 characters");
		assertThat(this.out.toBroker).isEmpty();
	}

	@Test
	void mqtt31ClientIdTheIdentityMakesTooLongIsRejected() {
		// "alice|" and 18 characters: 24, one more than MQTT 3.1 allows.
		browser(connectPacket(MqttVersion.MQTT_3_1, GOOD, "client-id-18-chars", null), MqttVersion.MQTT_3_1);
		this.loop.runPendingTasks();
		MqttConnAckMessage connAck = (MqttConnAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_3_1);
		assertThat(connAck.variableHeader().connectReturnCode())
			.isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.PROTOCOL_ERROR);
		assertThat(this.out.admitted).isFalse();
		assertThat(this.out.toBroker).isEmpty();
	}

	@Test
	void brokerSubAckLargerThanHeraldReadsIsMalformed() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_3_1_1, 7, "/news/a", "/secret/#"), MqttVersion.MQTT_3_1_1);
		// A SUBACK of 2 MiB is held to be widened: more than Herald reads.
		ByteBuf subAckHeader = Unpooled.wrappedBuffer(new byte[] { (byte) 0x90, (byte) 0xFF, (byte) 0xFF, 0x7F });
		assertThatExceptionOfType(MqttFramer.MalformedPacketException.class)
			.isThrownBy(() -> this.guard.fromBroker(subAckHeader));
	}

	@Test
	void sharedSubscriptionIsJudgedByTheFilterAfterItsGroup() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_5, 3, "$share/g//news/+/sport", "$share/g//secret/#", "$share/+//news/a"),
				MqttVersion.MQTT_5);
		MqttSubscribeMessage toBroker = (MqttSubscribeMessage) decode(this.out.toBroker.get(1), MqttVersion.MQTT_5);
		assertThat(toBroker.payload().topicSubscriptions()).extracting("topicFilter")
			.containsExactly("$share/g//news/+/sport");
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_5, 3, 1));
		MqttSubAckMessage subAck = (MqttSubAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x87, 0x87);
	}

	@Test
	void heraldsOwnAnswersWaitForTheBrokersConnack() {
		browser(connectPacket(MqttVersion.MQTT_5, GOOD, "browser-1", null), MqttVersion.MQTT_5);
		this.loop.runPendingTasks();
		browser(subscribe(MqttVersion.MQTT_5, 4, "/secret/#"), MqttVersion.MQTT_5);
		browser(publish(MqttVersion.MQTT_5, "/news/asia/sport", 1, 5, null, "x"), MqttVersion.MQTT_5);
		assertThat(this.out.toBrowser).isEmpty();
		this.guard.fromBroker(brokerConnAck(MqttVersion.MQTT_5));
		assertThat(this.out.toBrowser)
			.extracting((packet) -> decode(packet, MqttVersion.MQTT_5).fixedHeader().messageType())
			.containsExactly(MqttMessageType.CONNACK, MqttMessageType.SUBACK, MqttMessageType.PUBACK);
	}

	@Test
	void filtersBeyondTheLimitGetFailure() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(subscribe(MqttVersion.MQTT_3_1_1, 2, "/news/a", "/news/b", "/news/c", "/news/d"),
				MqttVersion.MQTT_3_1_1);
		this.guard.fromBroker(subAckPacket(MqttVersion.MQTT_3_1_1, 2, 0, 0, 0));
		MqttSubAckMessage subAck = (MqttSubAckMessage) decode(this.out.toBrowser.get(0), MqttVersion.MQTT_3_1_1);
		assertThat(subAck.payload().reasonCodes()).containsExactly(0, 0, 0, 0x80);
	}

	@Test
	void allowedPublishPassesByteForByte() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		ByteBuf publish = publish(MqttVersion.MQTT_3_1_1, "/news/europe/sport", 1, 5, null, "goal");
		byte[] sent = ByteBufUtil.getBytes(publish);
		browser(publish, MqttVersion.MQTT_3_1_1);
		assertThat(concat(this.out.toBroker.subList(1, this.out.toBroker.size()))).isEqualTo(sent);
	}

	@Test
	void deniedPublishOnMqtt311Disconnects() {
		connect(MqttVersion.MQTT_3_1_1, GOOD, "browser-1");
		browser(publish(MqttVersion.MQTT_3_1_1, "/news/asia/sport", 0, 0, null, "x"), MqttVersion.MQTT_3_1_1);
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.POLICY_VIOLATION);
		assertThat(this.out.toBroker).hasSize(1);
	}

	@Test
	void deniedPublishOnMqtt5GetsPubackWith0x87AndTheSessionGoesOn() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		browser(publish(MqttVersion.MQTT_5, "/news/asia/sport", 1, 3, null, "x"), MqttVersion.MQTT_5);
		browser(publish(MqttVersion.MQTT_5, "/news/asia/sport", 0, 0, null, "dropped"), MqttVersion.MQTT_5);
		MqttMessage puback = decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(puback.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
		assertThat(((MqttPubReplyMessageVariableHeader) puback.variableHeader()).reasonCode()).isEqualTo((byte) 0x87);
		assertThat(this.out.toBrowser).hasSize(1);
		assertThat(this.out.toBroker).hasSize(1);
		assertThat(this.out.refused).isNull();
	}

	@Test
	void publishByTopicAliasIsJudgedOnTheAliasedTopic() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		browser(publish(MqttVersion.MQTT_5, "/news/europe/sport", 0, 0, 1, "set"), MqttVersion.MQTT_5);
		browser(publish(MqttVersion.MQTT_5, "", 0, 0, 1, "by alias"), MqttVersion.MQTT_5);
		browser(publish(MqttVersion.MQTT_5, "/news/asia/sport", 1, 4, 2, "denied"), MqttVersion.MQTT_5);
		browser(publish(MqttVersion.MQTT_5, "", 1, 5, 2, "denied by alias"), MqttVersion.MQTT_5);
		// Alias 1 moved to a refused topic: what is published by it is refused, not sent
		// to its old topic.
		browser(publish(MqttVersion.MQTT_5, "/news/asia/sport", 1, 6, 1, "moved, denied"), MqttVersion.MQTT_5);
		browser(publish(MqttVersion.MQTT_5, "", 1, 7, 1, "denied by the moved alias"), MqttVersion.MQTT_5);
		assertThat(brokerPackets(MqttVersion.MQTT_5)).extracting((message) -> message.fixedHeader().messageType())
			.containsExactly(MqttMessageType.CONNECT, MqttMessageType.PUBLISH, MqttMessageType.PUBLISH);
		assertThat(this.out.toBrowser).hasSize(4);
		assertThat(this.out.refused).isNull();
	}

	@Test
	void publishToAWildcardTopicClosesAndReleasesWhatWasHeld() throws InterruptedException {
		try (NettyLeakLog leaks = NettyLeakLog.capture()) {
			connect(MqttVersion.MQTT_5, GOOD, "browser-1");
			browser(publish(MqttVersion.MQTT_5, "/news/+/sport", 1, 6, null, "x"), MqttVersion.MQTT_5);
			assertThat(this.out.refused.code()).isEqualTo(CloseCause.PROTOCOL_ERROR);
			assertThat(leaks.collect()).isEmpty();
		}
	}

	@Test
	void deniedLargePublishIsSkippedChunkByChunk() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		ByteBuf publish = publish(MqttVersion.MQTT_5, "/news/asia/sport", 0, 0, null, "x".repeat(1024 * 1024));
		while (publish.isReadable()) {
			this.guard.fromBrowser(publish.readRetainedSlice(Math.min(8192, publish.readableBytes())));
		}
		publish.release();
		browser(publish(MqttVersion.MQTT_5, "/news/europe/sport", 0, 0, null, "next"), MqttVersion.MQTT_5);
		List<MqttMessage> packets = brokerPackets(MqttVersion.MQTT_5);
		assertThat(packets).hasSize(2);
		assertThat(((io.netty.handler.codec.mqtt.MqttPublishMessage) packets.get(1)).variableHeader().topicName())
			.isEqualTo("/news/europe/sport");
		assertThat(this.out.refused).isNull();
	}

	@Test
	void willOutsideThePublishRightsIsRefused() {
		browser(connectPacket(MqttVersion.MQTT_3_1_1, GOOD, "browser-1", "/secret/will"), MqttVersion.MQTT_3_1_1);
		this.loop.runPendingTasks();
		assertThat(this.out.admitted).isFalse();
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.POLICY_VIOLATION);
	}

	@Test
	void noConnectInTimeCloses() {
		this.loop.advanceTimeBy(11, TimeUnit.SECONDS);
		this.loop.runScheduledPendingTasks();
		assertThat(this.out.refused.reason()).contains("herald.relay.connect-timeout");
	}

	@Test
	void publishingFasterThanTheRateCloses() {
		connect(MqttVersion.MQTT_5, GOOD, "browser-1");
		for (int i = 0; i < 5000 && this.out.refused == null; i++) {
			browser(publish(MqttVersion.MQTT_5, "/news/europe/sport", 0, 0, null, "x"), MqttVersion.MQTT_5);
		}
		assertThat(this.out.refused.code()).isEqualTo(CloseCause.POLICY_VIOLATION);
		MqttMessage disconnect = decode(this.out.toBrowser.get(0), MqttVersion.MQTT_5);
		assertThat(disconnect.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
	}

	/**
	 * CONNECT, and if it is let in, the broker's CONNACK to the browser, which the test
	 * then forgets.
	 */
	private void connect(MqttVersion version, String token, String clientId) {
		browser(connectPacket(version, token, clientId, null), version);
		this.loop.runPendingTasks();
		if (this.out.admitted) {
			this.guard.fromBroker(brokerConnAck(version));
			assertThat(this.out.toBrowser).hasSize(1);
			this.out.toBrowser.remove(0).release();
		}
	}

	private static ByteBuf brokerConnAck(MqttVersion version) {
		return MqttReplies.connAck(version, MqttConnectReturnCode.CONNECTION_ACCEPTED,
				MqttConnectReturnCode.CONNECTION_ACCEPTED);
	}

	private void browser(ByteBuf packet, MqttVersion version) {
		this.guard.fromBrowser(packet);
	}

	private static ByteBuf connectPacket(MqttVersion version, String token, String clientId, @Nullable String will) {
		MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
			.protocolVersion(version)
			.clientId(clientId)
			.cleanSession(true)
			.keepAlive(30)
			.hasUser(true)
			.username("token")
			.hasPassword(true)
			.password(token.getBytes(StandardCharsets.UTF_8));
		if (will != null) {
			connect.willFlag(true).willTopic(will).willMessage("bye".getBytes(StandardCharsets.UTF_8));
		}
		return MqttCodec.encode(connect.build(), version);
	}

	private static ByteBuf subscribe(MqttVersion version, int packetId, String... filters) {
		MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(packetId);
		for (String filter : filters) {
			subscribe.addSubscription(MqttQoS.AT_LEAST_ONCE, filter);
		}
		return MqttCodec.encode(subscribe.build(), version);
	}

	private static ByteBuf subAckPacket(MqttVersion version, int packetId, int... codes) {
		return MqttReplies.subAck(version, packetId, MqttProperties.NO_PROPERTIES, codes);
	}

	private static ByteBuf publish(MqttVersion version, String topic, int qos, int packetId, @Nullable Integer alias,
			String payload) {
		MqttProperties properties = new MqttProperties();
		if (alias != null) {
			properties
				.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(), alias));
		}
		MqttMessage publish = MqttMessageBuilders.publish()
			.topicName(topic)
			.qos(MqttQoS.valueOf(qos))
			.messageId(packetId)
			.properties(properties)
			.payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
			.build();
		return MqttCodec.encode(publish, version);
	}

	private static MqttMessage decode(ByteBuf packet, MqttVersion version) {
		MqttMessage message = MqttCodec.decode(packet.retainedDuplicate(), version);
		assertThat(message.decoderResult().isSuccess()).as("decoded %s", message).isTrue();
		return message;
	}

	/** Every packet the broker got, decoded. */
	private List<MqttMessage> brokerPackets(MqttVersion version) {
		EmbeddedChannel decoder = new EmbeddedChannel(new io.netty.handler.codec.mqtt.MqttDecoder(4 * 1024 * 1024));
		decoder.writeInbound(Unpooled.wrappedBuffer(concat(this.out.toBroker)));
		List<MqttMessage> packets = new ArrayList<>();
		MqttMessage message;
		while ((message = decoder.readInbound()) != null) {
			assertThat(message.decoderResult().isSuccess()).as("decoded %s", message).isTrue();
			packets.add(message);
			io.netty.util.ReferenceCountUtil.release(message);
		}
		decoder.finishAndReleaseAll();
		return packets;
	}

	private static byte[] bytes(ByteBuf packet) {
		try {
			return ByteBufUtil.getBytes(packet);
		}
		finally {
			packet.release();
		}
	}

	private static byte[] concat(List<ByteBuf> buffers) {
		ByteBuf all = Unpooled.buffer();
		buffers.forEach((buffer) -> all.writeBytes(buffer.duplicate()));
		return ByteBufUtil.getBytes(all);
	}

	/** What the guard sent where. */
	private static final class Recorder implements MqttGuard.Output {

		private final EventLoop eventLoop;

		final List<ByteBuf> toBroker = new ArrayList<>();

		final List<ByteBuf> toBrowser = new ArrayList<>();

		boolean admitted;

		@Nullable CloseCause refused;

		Recorder(EventLoop eventLoop) {
			this.eventLoop = eventLoop;
		}

		@Override
		public String id() {
			return "test";
		}

		@Override
		public EventLoop eventLoop() {
			return this.eventLoop;
		}

		@Override
		public void toBroker(ByteBuf bytes) {
			this.toBroker.add(bytes);
		}

		@Override
		public void toBrowser(ByteBuf packet) {
			this.toBrowser.add(packet);
		}

		@Override
		public void admitted() {
			this.admitted = true;
		}

		@Override
		public void readBrowser(boolean read) {
		}

		@Override
		public void packetSeen(RelayMetrics.Direction direction, int type) {
		}

		@Override
		public void refuse(CloseCause cause) {
			if (this.refused == null) {
				this.refused = cause;
			}
		}

		void release() {
			this.toBroker.forEach(ByteBuf::release);
			this.toBrowser.forEach(ByteBuf::release);
		}

	}

}
