package io.herald.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of a relayed connection: hands each chunk read from the broker to the
 * {@link RelayConnection} and reports writability and closure.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamHandler.class);

	private final RelayConnection connection;

	private Throwable failure;

	UpstreamHandler(RelayConnection connection) {
		this.connection = connection;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		this.connection.fromBroker((ByteBuf) message);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		if (context.channel().isWritable()) {
			this.connection.upstreamWritable();
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		logger.debug("[{}] Broker connection failed: {}", this.connection.id(), cause.toString());
		if (this.failure == null) {
			this.failure = cause;
		}
		context.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.connection.upstreamClosed(this.failure);
	}

}
