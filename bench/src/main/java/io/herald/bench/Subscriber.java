package io.herald.bench;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * One simulated browser: after the WebSocket handshake it sends CONNECT, subscribes to
 * {@value #FILTER}, acknowledges QoS 1 deliveries and pings when idle, like Paho JS or mqtt.js.
 * A stalled one stops reading once subscribed, and so never acknowledges anything.
 */
final class Subscriber extends SimpleChannelInboundHandler<MqttMessage> implements Browser {

	static final String FILTER = "/news/+/sport";

	static final int KEEP_ALIVE_SECONDS = 60;

	private final String clientId;

	private final MqttQoS qos;

	private final Listener listener;

	private final boolean leaveAfterSubscribe;

	private final boolean stall;

	private final long startNanos = System.nanoTime();

	private volatile long highestSeq = -1;

	private volatile Channel channel;

	private boolean outcomeReported;

	private boolean closeReported;

	private long establishedNanos;

	private long lastWriteNanos;

	private ScheduledFuture<?> pinger;

	Subscriber(String clientId, MqttQoS qos, Listener listener, boolean leaveAfterSubscribe, boolean stall) {
		this.clientId = clientId;
		this.qos = qos;
		this.listener = listener;
		this.leaveAfterSubscribe = leaveAfterSubscribe;
		this.stall = stall;
	}

	@Override
	public long highestSeq() {
		return this.highestSeq;
	}

	/** Nanoseconds from starting the TCP connection to the SUBACK. */
	@Override
	public long establishNanos() {
		return this.establishedNanos - this.startNanos;
	}

	@Override
	public long establishedAt() {
		return this.establishedNanos;
	}

	@Override
	public boolean isActive() {
		Channel current = this.channel;
		return current != null && current.isActive();
	}

	@Override
	public void connectFailed(Throwable cause) {
		reportFailure("connect: " + cause);
		reportClosed();
	}

	/** Send DISCONNECT and close the WebSocket (with a close frame), as a leaving page does. */
	@Override
	public void leave() {
		Channel current = this.channel;
		if (current == null) {
			return;
		}
		current.eventLoop().execute(() -> {
			if (current.isActive() && this.outcomeReported && this.establishedNanos != 0) {
				current.writeAndFlush(new MqttMessage(fixedHeader(MqttMessageType.DISCONNECT)));
			}
			current.close();
		});
	}

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		this.channel = context.channel();
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
		if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
			write(context, MqttMessageBuilders.connect()
				.protocolVersion(MqttVersion.MQTT_3_1_1)
				.clientId(this.clientId)
				.cleanSession(true)
				.keepAlive(KEEP_ALIVE_SECONDS)
				.build());
		}
		else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
			reportFailure("WebSocket handshake timed out");
		}
		super.userEventTriggered(context, event);
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, MqttMessage message) {
		if (message.decoderResult().isFailure()) {
			reportFailure("undecodable MQTT: " + message.decoderResult().cause());
			context.close();
			return;
		}
		switch (message.fixedHeader().messageType()) {
			case CONNACK -> connAck(context, (MqttConnAckMessage) message);
			case SUBACK -> subAck(context, (MqttSubAckMessage) message);
			case PUBLISH -> publish(context, (MqttPublishMessage) message);
			default -> {
				// PINGRESP and anything else needs no answer.
			}
		}
	}

	private void connAck(ChannelHandlerContext context, MqttConnAckMessage message) {
		MqttConnectReturnCode code = message.variableHeader().connectReturnCode();
		if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
			reportFailure("CONNACK " + code);
			context.close();
			return;
		}
		write(context, MqttMessageBuilders.subscribe().messageId(1).addSubscription(this.qos, FILTER).build());
	}

	private void subAck(ChannelHandlerContext context, MqttSubAckMessage message) {
		int granted = message.payload().grantedQoSLevels().get(0);
		if (granted != this.qos.value()) {
			reportFailure("SUBACK granted " + granted);
			context.close();
			return;
		}
		this.establishedNanos = System.nanoTime();
		this.outcomeReported = true;
		this.listener.established(this);
		if (this.leaveAfterSubscribe) {
			leave();
			return;
		}
		if (this.stall) {
			// Neither reads nor acknowledges from now on: the server's writes to it back up.
			context.channel().config().setAutoRead(false);
			return;
		}
		long period = KEEP_ALIVE_SECONDS / 2;
		this.pinger = context.executor().scheduleAtFixedRate(() -> pingIfIdle(context), period, period, TimeUnit.SECONDS);
	}

	private void publish(ChannelHandlerContext context, MqttPublishMessage message) {
		if (this.stall) {
			// Read along with the SUBACK before reading stopped: not acknowledged, not counted.
			return;
		}
		ByteBuf payload = message.payload();
		long sentNanos = payload.getLong(payload.readerIndex());
		long seq = payload.getLong(payload.readerIndex() + Long.BYTES);
		boolean duplicate = seq <= this.highestSeq;
		if (!duplicate) {
			this.highestSeq = seq;
		}
		this.listener.delivered(sentNanos, duplicate);
		if (message.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
			write(context, MqttMessageBuilders.pubAck().packetId(message.variableHeader().packetId()).build());
		}
	}

	private void pingIfIdle(ChannelHandlerContext context) {
		if (System.nanoTime() - this.lastWriteNanos >= TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS / 2)) {
			write(context, new MqttMessage(fixedHeader(MqttMessageType.PINGREQ)));
		}
	}

	private void write(ChannelHandlerContext context, MqttMessage message) {
		this.lastWriteNanos = System.nanoTime();
		context.writeAndFlush(message);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		reportFailure(cause.toString());
		context.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) throws Exception {
		if (this.pinger != null) {
			this.pinger.cancel(false);
		}
		reportFailure("closed before SUBACK");
		reportClosed();
		super.channelInactive(context);
	}

	private void reportClosed() {
		if (!this.closeReported) {
			this.closeReported = true;
			this.listener.closed(this);
		}
	}

	private void reportFailure(String reason) {
		if (!this.outcomeReported) {
			this.outcomeReported = true;
			this.listener.failed(this, reason);
		}
	}

	private static MqttFixedHeader fixedHeader(MqttMessageType type) {
		return new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0);
	}

}
