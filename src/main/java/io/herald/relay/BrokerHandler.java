package io.herald.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a broker channel's pipeline: hands each chunk read from the broker to its
 * link and reports writability and closure.
 */
final class BrokerHandler extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(BrokerHandler.class);

	private final BrokerLink link;

	private @Nullable Throwable failure;

	BrokerHandler(BrokerLink link) {
		this.link = link;
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		this.link.fromBroker((ByteBuf) message);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext context) {
		this.link.brokerReadComplete();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		this.link.brokerWritabilityChanged(context.channel().isWritable());
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		Failures.log(logger, this.link.id(), "Broker connection failed", cause);
		if (this.failure == null) {
			this.failure = cause;
		}
		context.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.link.brokerClosed(this.failure);
	}

}
