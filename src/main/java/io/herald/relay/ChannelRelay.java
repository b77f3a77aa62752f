package io.herald.relay;

import java.util.ArrayDeque;
import java.util.Queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.broker.BrokerConnector;

/**
 * One browser's relayed MQTT session on the relay listener. Its WebSocket channel and its broker
 * channel run on the same I/O thread, so bytes pass from one to the other without changing
 * threads or buffers, and each side reads only while the other can take more.
 */
final class ChannelRelay extends ChannelInboundHandlerAdapter implements RelayedBrowser, UpstreamEvents {

	private static final Logger logger = LoggerFactory.getLogger(ChannelRelay.class);

	private final BrokerConnector connector;

	private final RelayRegistry registry;

	private final int chunkSize;

	private final long sendTimeoutNanos;

	private final BrowserStream browserStream;

	private final MqttFramer brokerPackets = new MqttFramer(this::onPacket);

	/** Frames that arrived before the broker connection was up, in order. */
	private final Queue<ByteBuf> early = new ArrayDeque<>();

	private Channel browser;

	private BrowserClosing closingHandshake;

	private Channel upstream;

	/** Set once either side is closing: nothing more is relayed either way. */
	private boolean closing;

	private boolean disconnectSeen;

	ChannelRelay(BrokerConnector connector, RelayRegistry registry, RelayProperties properties) {
		this.connector = connector;
		this.registry = registry;
		this.chunkSize = Math.toIntExact(properties.bufferSize().toBytes());
		this.browserStream = new BrowserStream(new MqttFramer(this::onPacket), properties.maxFrameSize().toBytes());
		this.sendTimeoutNanos = properties.sendTimeout().toNanos();
	}

	@Override
	public String id() {
		return (this.browser != null) ? this.browser.id().asShortText() : "-";
	}

	@Override
	public boolean awaitingBrowser() {
		Channel channel = this.browser;
		return channel != null && channel.isActive() && !channel.isWritable();
	}

	@Override
	public void goAway() {
		this.browser.eventLoop().execute(() -> closeBrowser(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
				"Herald is shutting down"));
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext context, Object event) {
		if (event instanceof HandshakeComplete) {
			context.pipeline().remove(HandshakeGuard.class);
			handshakeComplete(context.channel());
		}
		context.fireUserEventTriggered(event);
	}

	private void handshakeComplete(Channel channel) {
		this.browser = channel;
		this.closingHandshake = new BrowserClosing(channel, this.sendTimeoutNanos);
		if (!this.registry.add(this)) {
			goAway();
			return;
		}
		// Nothing more from the browser until its bytes have somewhere to go.
		channel.config().setAutoRead(false);
		this.connector.connect(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel upstream) {
				initUpstream(upstream);
			}

		}, channel.eventLoop()).addListener((Future<Channel> connected) -> {
			if (connected.isSuccess()) {
				upstreamConnected(connected.getNow());
			}
			else {
				logger.debug("[{}] Broker unreachable: {}", id(), connected.cause().toString());
				closeBrowser(WebSocketCloseStatus.INTERNAL_SERVER_ERROR,
						"Broker unreachable: " + connected.cause().getMessage());
			}
		});
	}

	private void initUpstream(Channel upstream) {
		// Reads of at most one chunk, and at most 8 chunks waiting for the broker.
		upstream.config()
			.setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, Math.min(1024, this.chunkSize), this.chunkSize));
		upstream.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(this.chunkSize * 2, this.chunkSize * 8));
		upstream.pipeline().addLast(new UpstreamHandler(this));
	}

	private void upstreamConnected(Channel channel) {
		if (this.closing || !this.browser.isActive()) {
			channel.close();
			return;
		}
		this.upstream = channel;
		logger.debug("[{}] Relaying to broker via {}", id(), channel.localAddress());
		ByteBuf chunk;
		while ((chunk = this.early.poll()) != null) {
			channel.write(chunk, channel.voidPromise());
		}
		channel.flush();
		this.browser.config().setAutoRead(channel.isWritable());
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (message instanceof BinaryWebSocketFrame || message instanceof ContinuationWebSocketFrame) {
			WebSocketFrame frame = (WebSocketFrame) message;
			fromBrowser(frame.content(), frame.isFinalFragment());
		}
		else if (message instanceof CloseWebSocketFrame close) {
			this.closing = true;
			this.closingHandshake.closeReceived(close);
		}
		else if (message instanceof WebSocketFrame frame) {
			frame.release();
			fail(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "Text messages not supported");
		}
		else {
			context.fireChannelRead(message);
		}
	}

	private void fromBrowser(ByteBuf chunk, boolean last) {
		if (this.closing) {
			chunk.release();
			return;
		}
		try {
			this.browserStream.check(chunk, last);
		}
		catch (BrowserStream.MessageTooLargeException ex) {
			chunk.release();
			logger.debug("[{}] {}", id(), ex.getMessage());
			fail(WebSocketCloseStatus.MESSAGE_TOO_BIG, ex.getMessage());
			return;
		}
		catch (MqttFramer.MalformedPacketException ex) {
			chunk.release();
			logger.debug("[{}] Malformed MQTT from browser: {}", id(), ex.getMessage());
			fail(WebSocketCloseStatus.PROTOCOL_ERROR, "Malformed MQTT: " + ex.getMessage());
			return;
		}
		if (this.upstream == null) {
			this.early.add(chunk);
			return;
		}
		this.upstream.write(chunk, this.upstream.voidPromise());
		if (!this.upstream.isWritable()) {
			this.browser.config().setAutoRead(false);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext context) {
		if (this.upstream != null) {
			this.upstream.flush();
		}
		context.fireChannelReadComplete();
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		boolean writable = context.channel().isWritable();
		if (this.upstream != null && !this.closing) {
			this.upstream.config().setAutoRead(writable);
		}
		if (this.closingHandshake != null) {
			this.closingHandshake.writabilityChanged(writable);
		}
		context.fireChannelWritabilityChanged();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		logger.debug("[{}] Browser connection failed: {}", id(), cause.toString());
		context.close();
	}

	/**
	 * Goes before Netty's WebSocket protocol handler, which closes the connection at once on a bad
	 * frame: the browser would then meet a reset instead of Herald's close frame while it is still
	 * sending the rest of that frame.
	 */
	ChannelInboundHandlerAdapter frameViolations() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
				if (cause instanceof CorruptedWebSocketFrameException corrupted && ChannelRelay.this.browser != null) {
					frameViolation(corrupted);
				}
				else {
					context.fireExceptionCaught(cause);
				}
			}

		};
	}

	/** The browser's WebSocket stream cannot be read past this point: close, discarding what follows. */
	private void frameViolation(CorruptedWebSocketFrameException corrupted) {
		logger.debug("[{}] Bad WebSocket frame from browser: {}", id(), corrupted.getMessage());
		this.closing = true;
		this.closingHandshake.closeUnreadable(corrupted.closeStatus(),
				(corrupted.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG) ? this.browserStream.tooLarge()
						: corrupted.getMessage());
		if (this.upstream != null) {
			this.upstream.close();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.closing = true;
		if (this.closingHandshake != null) {
			this.closingHandshake.cancel();
		}
		ByteBuf chunk;
		while ((chunk = this.early.poll()) != null) {
			chunk.release();
		}
		if (this.upstream != null && this.upstream.isOpen()) {
			this.upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
		if (this.browser != null) {
			this.registry.remove(this);
			logger.debug("[{}] Browser closed", id());
		}
		context.fireChannelInactive();
	}

	@Override
	public void fromBroker(ByteBuf chunk) {
		if (this.closing) {
			chunk.release();
			return;
		}
		try {
			this.brokerPackets.scan(chunk);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			chunk.release();
			logger.warn("[{}] Malformed MQTT from broker: {}", id(), ex.getMessage());
			fail(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "Malformed MQTT from broker: " + ex.getMessage());
			return;
		}
		this.browser.write(new BinaryWebSocketFrame(chunk), this.browser.voidPromise());
		if (!this.browser.isWritable()) {
			this.upstream.config().setAutoRead(false);
		}
	}

	@Override
	public void brokerReadComplete() {
		this.browser.flush();
	}

	@Override
	public void upstreamWritabilityChanged(boolean writable) {
		if (!this.closing) {
			this.browser.config().setAutoRead(writable);
		}
	}

	@Override
	public void upstreamClosed(Throwable failure) {
		if (failure != null) {
			closeBrowser(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "Broker connection failed: " + failure.getMessage());
		}
		else if (this.disconnectSeen) {
			closeBrowser(WebSocketCloseStatus.NORMAL_CLOSURE, null);
		}
		else {
			closeBrowser(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "Broker closed the connection");
		}
	}

	/** Send the browser a close frame after whatever was relayed before it; relay nothing more. */
	private void closeBrowser(WebSocketCloseStatus status, String reason) {
		this.closing = true;
		this.closingHandshake.close(status, reason);
	}

	/** The browser or the broker broke the protocol: close both sides now. */
	private void fail(WebSocketCloseStatus status, String reason) {
		closeBrowser(status, reason);
		if (this.upstream != null) {
			this.upstream.close();
		}
	}

	/** Either side sent DISCONNECT: the broker closing the connection next is normal. */
	private void onPacket(int type, int remainingLength) {
		if (type == MqttFramer.DISCONNECT) {
			this.disconnectSeen = true;
		}
	}

}
