package io.herald.relay;

import io.herald.broker.BrokerConnector;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser on the relay listener: the end of its WebSocket pipeline, joined to its
 * {@link BrokerLink}. Its WebSocket channel and its broker channel run on the same I/O
 * thread, so bytes pass from one to the other without changing threads or buffers.
 */
final class ListenerRelay extends ChannelInboundHandlerAdapter implements BrowserSide {

	/** How the metrics name the relay listener. */
	static final String ENDPOINT = "listener";

	private static final Logger logger = LoggerFactory.getLogger(ListenerRelay.class);

	private final BrokerConnector connector;

	private final RelayRegistry registry;

	private final RelayProperties properties;

	private final @Nullable RelayGate gate;

	private @Nullable Channel browser;

	private @Nullable BrokerLink link;

	private @Nullable BrowserClosing closingHandshake;

	ListenerRelay(BrokerConnector connector, RelayRegistry registry, RelayProperties properties,
			@Nullable RelayGate gate) {
		this.connector = connector;
		this.registry = registry;
		this.properties = properties;
		this.gate = gate;
	}

	@Override
	public String id() {
		Channel channel = this.browser;
		return (channel != null) ? channel.id().asShortText() : "-";
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext context, Object event) {
		if (event instanceof HandshakeComplete handshake) {
			context.pipeline().remove(HandshakeGuard.class);
			Channel channel = context.channel();
			this.browser = channel;
			this.closingHandshake = new BrowserClosing(channel, this.properties.sendTimeout().toNanos());
			this.link = new BrokerLink(this, channel.eventLoop(), this.registry, this.properties, this.gate,
					RelayGate.urlToken(handshake.requestUri()));
			this.link.open(this.connector);
		}
		context.fireUserEventTriggered(event);
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (message instanceof BinaryWebSocketFrame || message instanceof ContinuationWebSocketFrame) {
			WebSocketFrame frame = (WebSocketFrame) message;
			this.link.fromBrowser(frame.content(), frame.isFinalFragment());
		}
		else if (message instanceof PongWebSocketFrame pong) {
			pong.release();
			this.link.browserAnswered();
		}
		else if (message instanceof CloseWebSocketFrame close) {
			this.link.browserClosing();
			this.closingHandshake.closeReceived(close);
		}
		else if (message instanceof WebSocketFrame frame) {
			frame.release();
			this.link.fail(CloseCause.textRefused());
		}
		else {
			context.fireChannelRead(message);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext context) {
		if (this.link != null) {
			this.link.browserReadComplete();
		}
		context.fireChannelReadComplete();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		boolean writable = context.channel().isWritable();
		if (this.link != null && writable) {
			this.link.browserWritable();
		}
		if (this.closingHandshake != null) {
			this.closingHandshake.writabilityChanged(writable);
		}
		context.fireChannelWritabilityChanged();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		Failures.log(logger, id(), "Browser connection failed", cause);
		context.close();
	}

	/**
	 * Goes before Netty's WebSocket protocol handler, which closes the connection at once
	 * on a bad frame: the browser would then meet a reset instead of Herald's close frame
	 * while it is still sending the rest of that frame.
	 */
	ChannelInboundHandlerAdapter frameViolations() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
				if (cause instanceof CorruptedWebSocketFrameException corrupted && ListenerRelay.this.link != null) {
					frameViolation(corrupted);
				}
				else {
					context.fireExceptionCaught(cause);
				}
			}

		};
	}

	/**
	 * The browser's WebSocket stream cannot be read past this point: close, discarding
	 * what follows.
	 */
	private void frameViolation(CorruptedWebSocketFrameException corrupted) {
		logger.debug("[{}] Bad WebSocket frame from browser: {}", id(), corrupted.getMessage());
		this.link.browserUnreadable();
		this.closingHandshake.closeUnreadable(corrupted.closeStatus(),
				(corrupted.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG)
						? BrowserStream.tooLarge(this.properties.maxFrameSize().toBytes()) : corrupted.getMessage());
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		if (this.closingHandshake != null) {
			this.closingHandshake.cancel();
		}
		if (this.link != null) {
			this.link.browserClosed();
			logger.debug("[{}] Browser closed", id());
		}
		context.fireChannelInactive();
	}

	@Override
	public void send(ByteBuf data) {
		this.browser.write(new BinaryWebSocketFrame(data), this.browser.voidPromise());
	}

	@Override
	public void ping() {
		this.browser.writeAndFlush(new PingWebSocketFrame(), this.browser.voidPromise());
	}

	@Override
	public void flush() {
		this.browser.flush();
	}

	@Override
	public boolean isWritable() {
		return this.browser.isWritable();
	}

	@Override
	public boolean awaitingBrowser() {
		Channel channel = this.browser;
		return channel != null && channel.isActive() && !channel.isWritable();
	}

	@Override
	public void readBrowser(boolean read) {
		this.browser.config().setAutoRead(read);
	}

	@Override
	public String endpoint() {
		return ENDPOINT;
	}

	@Override
	public void close(CloseCause cause) {
		this.closingHandshake.close(WebSocketCloseStatus.valueOf(cause.code()), cause.reason());
	}

	@Override
	public boolean oneChunkAtATime() {
		return false;
	}

}
