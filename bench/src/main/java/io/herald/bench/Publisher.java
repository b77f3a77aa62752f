package io.herald.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.Promise;

/**
 * The publisher, on the broker's TCP port: sends {@value #PAYLOAD_BYTES}-byte messages to
 * {@code /news/<region>/sport} carrying their send time and sequence number, either at a fixed
 * rate or as fast as the slowest subscriber keeps up. The two numbers are binary longs, or, for
 * event streams (whose JSON carries the payload as UTF-8 text), hexadecimal text.
 */
final class Publisher extends SimpleChannelInboundHandler<MqttMessage> {

	static final int PAYLOAD_BYTES = 64;

	private static final String[] TOPICS = { "/news/europe/sport", "/news/asia/sport", "/news/africa/sport",
			"/news/americas/sport", "/news/oceania/sport" };

	/** Length of the text stamp: 16 hex digits, a space, 16 hex digits. */
	private static final int TEXT_STAMP = 33;

	private final Promise<Void> connected;

	private final boolean text;

	private volatile Channel channel;

	private volatile long published;

	private volatile long acknowledged;

	private Publisher(Promise<Void> connected, boolean text) {
		this.connected = connected;
		this.text = text;
	}

	/** Connect to the broker and wait for its CONNACK; {@code text}: stamps as text. */
	static Publisher connect(EventLoopGroup group, Class<? extends Channel> channelType, int brokerPort,
			String clientId, boolean text) {
		Promise<Void> connected = group.next().newPromise();
		Publisher publisher = new Publisher(connected, text);
		new Bootstrap().group(group)
			.channel(channelType)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, publisher);
				}

			})
			.connect("127.0.0.1", brokerPort)
			.addListener((future) -> {
				if (future.isSuccess()) {
					publisher.channel.writeAndFlush(MqttMessageBuilders.connect()
						.protocolVersion(MqttVersion.MQTT_3_1_1)
						.clientId(clientId)
						.cleanSession(true)
						.keepAlive(0)
						.build());
				}
				else {
					connected.tryFailure(future.cause());
				}
			});
		if (!connected.awaitUninterruptibly(10, TimeUnit.SECONDS) || !connected.isSuccess()) {
			throw new IllegalStateException("Publisher could not connect to the broker on port " + brokerPort,
					connected.cause());
		}
		return publisher;
	}

	long published() {
		return this.published;
	}

	long acknowledged() {
		return this.acknowledged;
	}

	/** Publish {@code perSecond} messages a second for {@code duration}; completes after the last one. */
	Promise<Void> atRate(double perSecond, Duration duration, MqttQoS qos) {
		Promise<Void> done = this.channel.eventLoop().newPromise();
		long total = Math.round(perSecond * duration.toNanos() / 1e9);
		long period = Math.round(1e9 / perSecond);
		ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
		task[0] = this.channel.eventLoop().scheduleAtFixedRate(() -> {
			if (this.channel.isActive()) {
				this.channel.writeAndFlush(message(qos));
			}
			if (this.published >= total || !this.channel.isActive()) {
				task[0].cancel(false);
				done.trySuccess(null);
			}
		}, 0, period, TimeUnit.NANOSECONDS);
		return done;
	}

	/**
	 * Publish for {@code duration} as fast as the broker takes messages, but never more than
	 * {@code window} messages ahead of the slowest subscriber's highest received sequence number.
	 */
	Promise<Void> asFastAsPossible(Duration duration, int window, LongSupplier slowestSeq, MqttQoS qos) {
		Promise<Void> done = this.channel.eventLoop().newPromise();
		long end = System.nanoTime() + duration.toNanos();
		ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
		task[0] = this.channel.eventLoop().scheduleAtFixedRate(() -> {
			if (System.nanoTime() >= end || !this.channel.isActive()) {
				task[0].cancel(false);
				done.trySuccess(null);
				return;
			}
			long slowest = slowestSeq.getAsLong();
			int sent = 0;
			while (this.published - 1 - slowest < window && this.channel.isWritable() && sent < window) {
				this.channel.write(message(qos));
				sent++;
			}
			if (sent > 0) {
				this.channel.flush();
			}
		}, 0, 500, TimeUnit.MICROSECONDS);
		return done;
	}

	private MqttMessage message(MqttQoS qos) {
		long seq = this.published;
		ByteBuf payload = this.channel.alloc().buffer(PAYLOAD_BYTES);
		if (this.text) {
			String stamp = String.format(java.util.Locale.ROOT, "%016x %016x", System.nanoTime(), seq);
			payload.writeCharSequence(stamp, StandardCharsets.US_ASCII);
			while (payload.readableBytes() < PAYLOAD_BYTES) {
				payload.writeByte('.');
			}
		}
		else {
			payload.writeLong(System.nanoTime()).writeLong(seq).writeZero(PAYLOAD_BYTES - 2 * Long.BYTES);
		}
		this.published = seq + 1;
		return MqttMessageBuilders.publish()
			.topicName(TOPICS[(int) (seq % TOPICS.length)])
			.qos(qos)
			.retained(false)
			.messageId((int) (seq % 65_535) + 1)
			.payload(payload)
			.build();
	}

	/** Send time and sequence number of a text stamp at {@code from}, or null if there is none. */
	static long[] parseText(String text, int from) {
		if (text.length() < from + TEXT_STAMP || text.charAt(from + 16) != ' ') {
			return null;
		}
		try {
			return new long[] { Long.parseUnsignedLong(text, from, from + 16, 16),
					Long.parseUnsignedLong(text, from + 17, from + TEXT_STAMP, 16) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		this.channel = context.channel();
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, MqttMessage message) {
		if (message.fixedHeader().messageType() == MqttMessageType.CONNACK) {
			MqttConnectReturnCode code = ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
			if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
				this.connected.trySuccess(null);
			}
			else {
				this.connected.tryFailure(new IllegalStateException("CONNACK " + code));
			}
		}
		else if (message.fixedHeader().messageType() == MqttMessageType.PUBACK) {
			this.acknowledged++;
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.connected.tryFailure(new IllegalStateException("Broker closed the publisher's connection"));
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		this.connected.tryFailure(cause);
		context.close();
	}

	void close() {
		Channel current = this.channel;
		if (current.isActive()) {
			current.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
					MqttQoS.AT_MOST_ONCE, false, 0)));
		}
		current.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

}
