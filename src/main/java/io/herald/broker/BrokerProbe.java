package io.herald.broker;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.Future;

/**
 * Checks that the broker accepts an MQTT connection: CONNECT, wait for CONNACK,
 * DISCONNECT.
 */
class BrokerProbe {

	private final BrokerConnector connector;

	private final Duration timeout;

	BrokerProbe(BrokerConnector connector, Duration timeout) {
		this.connector = connector;
		this.timeout = timeout;
	}

	/**
	 * Connect to the broker and complete with its CONNACK return code, or exceptionally
	 * with the reason it could not be reached.
	 */
	CompletableFuture<MqttConnectReturnCode> probe() {
		CompletableFuture<MqttConnectReturnCode> result = new CompletableFuture<>();
		this.connector.connect(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline()
					.addLast(new ReadTimeoutHandler(BrokerProbe.this.timeout.toMillis(), TimeUnit.MILLISECONDS))
					.addLast(MqttEncoder.INSTANCE, new MqttDecoder())
					.addLast(new ConnAckHandler(result));
			}

		}).addListener((Future<Channel> future) -> {
			if (future.isSuccess()) {
				future.getNow().writeAndFlush(connectMessage());
			}
			else {
				result.completeExceptionally(future.cause());
			}
		});
		return result.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static MqttMessage connectMessage() {
		return MqttMessageBuilders.connect()
			.clientId("herald-health-" + UUID.randomUUID().toString().substring(0, 8))
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(10)
			.build();
	}

	private static final class ConnAckHandler extends SimpleChannelInboundHandler<MqttMessage> {

		private final CompletableFuture<MqttConnectReturnCode> result;

		ConnAckHandler(CompletableFuture<MqttConnectReturnCode> result) {
			this.result = result;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext context, MqttMessage message) {
			if (message instanceof MqttConnAckMessage connAck) {
				this.result.complete(connAck.variableHeader().connectReturnCode());
				context.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
			}
			else if (message.decoderResult().isFailure()) {
				this.result.completeExceptionally(message.decoderResult().cause());
				context.close();
			}
			else {
				this.result.completeExceptionally(new IllegalStateException(
						"Broker answered CONNECT with " + message.fixedHeader().messageType()));
				context.close();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			this.result.completeExceptionally(cause);
			context.close();
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			this.result.completeExceptionally(new IllegalStateException("Broker closed the connection before CONNACK"));
		}

	}

}
