package io.herald.relay;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.herald.mqtt.MqttCodec;
import io.herald.mqtt.MqttFramer;
import io.herald.security.TopicRights;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * What the security gate's own packet work costs per delivery, next to the plain framer
 * the relay uses without it: a QoS 1 PUBLISH from the broker and the browser's PUBACK,
 * through 1,000 guards in turn on one thread, as scenario (a) of the benchmark has them.
 * A program that prints figures, not a test:
 * <pre>./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.herald.relay.GateCostBenchmark</pre>
 */
public final class GateCostBenchmark {

	private static final int CONNECTIONS = 1_000;

	private static final int MESSAGES = 2_000;

	private GateCostBenchmark() {
	}

	public static void main(String[] args) {
		EmbeddedChannel loop = new EmbeddedChannel();
		MqttGuard[] guards = new MqttGuard[CONNECTIONS];
		MqttFramer[] framers = new MqttFramer[CONNECTIONS];
		int[] packets = new int[1];
		for (int i = 0; i < CONNECTIONS; i++) {
			guards[i] = subscribedGuard(loop, "browser-" + i);
			framers[i] = new MqttFramer((type, length) -> packets[0]++);
		}
		byte[] publish = bytes(MqttCodec.encode(MqttMessageBuilders.publish()
			.topicName("/news/europe/sport")
			.qos(MqttQoS.AT_LEAST_ONCE)
			.messageId(7)
			.payload(Unpooled.wrappedBuffer(new byte[64]))
			.build(), MqttVersion.MQTT_3_1_1));
		byte[] pubAck = { 0x40, 2, 0, 7 };
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		for (int round = 1; round <= 8; round++) {
			long bytesBefore = threads.getCurrentThreadAllocatedBytes();
			long start = System.nanoTime();
			for (int m = 0; m < MESSAGES; m++) {
				for (MqttGuard guard : guards) {
					guard.fromBroker(copy(publish));
					guard.fromBrowser(copy(pubAck));
				}
			}
			long gated = System.nanoTime() - start;
			long gatedBytes = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
			bytesBefore = threads.getCurrentThreadAllocatedBytes();
			start = System.nanoTime();
			for (int m = 0; m < MESSAGES; m++) {
				for (MqttFramer framer : framers) {
					ByteBuf fromBroker = copy(publish);
					framer.scan(fromBroker);
					fromBroker.release();
					ByteBuf fromBrowser = copy(pubAck);
					framer.scan(fromBrowser);
					fromBrowser.release();
				}
			}
			long framed = System.nanoTime() - start;
			long framedBytes = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
			double deliveries = (double) MESSAGES * CONNECTIONS;
			System.out.printf("round %d: gate %.0f ns and %.1f bytes per delivery, framer %.0f ns and %.1f bytes%n",
					round, gated / deliveries, gatedBytes / deliveries, framed / deliveries, framedBytes / deliveries);
		}
		System.out.println("(" + packets[0] + " packets framed)");
	}

	private static MqttGuard subscribedGuard(EmbeddedChannel loop, String clientId) {
		Sink sink = new Sink(loop.eventLoop());
		TopicRights rights = TopicRights.of(List.of("/news/#"), List.of());
		RelayAccess access = (token, id) -> CompletableFuture
			.completedFuture(new RelayAccess.Admission("", rights, Instant.now().plusSeconds(36_000)));
		MqttGuard guard = new MqttGuard(sink, access,
				new GuardSettings(256 * 1024, Duration.ofSeconds(10), 100, 100, 200, null, null), null);
		guard.fromBrowser(MqttCodec.encode(MqttMessageBuilders.connect()
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.clientId(clientId)
			.cleanSession(true)
			.keepAlive(30)
			.build(), MqttVersion.MQTT_3_1_1));
		loop.runPendingTasks();
		guard.fromBroker(MqttReplies.connAck(MqttVersion.MQTT_3_1_1, MqttConnectReturnCode.CONNECTION_ACCEPTED,
				MqttConnectReturnCode.CONNECTION_ACCEPTED));
		guard.fromBrowser(MqttCodec.encode(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(MqttQoS.AT_LEAST_ONCE, "/news/+/sport")
			.build(), MqttVersion.MQTT_3_1_1));
		guard.fromBroker(Unpooled.wrappedBuffer(new byte[] { (byte) 0x90, 3, 0, 1, 1 }));
		if (!sink.admitted) {
			throw new IllegalStateException("The guard did not let the CONNECT in");
		}
		return guard;
	}

	private static ByteBuf copy(byte[] packet) {
		return ByteBufAllocator.DEFAULT.buffer(packet.length).writeBytes(packet);
	}

	private static byte[] bytes(ByteBuf packet) {
		byte[] bytes = new byte[packet.readableBytes()];
		packet.readBytes(bytes);
		packet.release();
		return bytes;
	}

	/** Takes what the guard sends either way and lets it go. */
	private static final class Sink implements MqttGuard.Output {

		private final EventLoop eventLoop;

		private boolean admitted;

		Sink(EventLoop eventLoop) {
			this.eventLoop = eventLoop;
		}

		@Override
		public String id() {
			return "benchmark";
		}

		@Override
		public EventLoop eventLoop() {
			return this.eventLoop;
		}

		@Override
		public void toBroker(ByteBuf bytes) {
			bytes.release();
		}

		@Override
		public void toBrowser(ByteBuf packet) {
			packet.release();
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
			throw new IllegalStateException(cause.reason());
		}

	}

}
