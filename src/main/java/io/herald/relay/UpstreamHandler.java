package io.herald.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of a relayed connection: hands each chunk read from the broker to its session
 * and reports writability and closure.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamHandler.class);

	private final UpstreamEvents session;

	private Throwable failure;

	UpstreamHandler(UpstreamEvents session) {
		this.session = session;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		this.session.fromBroker((ByteBuf) message);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext context) {
		this.session.brokerReadComplete();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		this.session.upstreamWritabilityChanged(context.channel().isWritable());
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		logger.debug("[{}] Broker connection failed: {}", this.session.id(), cause.toString());
		if (this.failure == null) {
			this.failure = cause;
		}
		context.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.session.upstreamClosed(this.failure);
	}

}
