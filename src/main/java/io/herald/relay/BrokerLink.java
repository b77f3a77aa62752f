package io.herald.relay;

import java.util.ArrayDeque;
import java.util.Queue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.broker.BrokerConnector;
import io.herald.mqtt.MqttFramer;

/**
 * One browser's connection to the broker, whichever endpoint accepted the browser: where both
 * endpoints meet. It opens the broker channel, holds what the browser sends until that channel is
 * up, checks both byte streams against MQTT's framing, relays each direction only as fast as the
 * other side takes it, and decides how the session ends. Runs on its event loop only, but for
 * {@link #goAway()} and {@link #awaitingBrowser()}.
 */
final class BrokerLink implements RelayedBrowser {

	private static final Logger logger = LoggerFactory.getLogger(BrokerLink.class);

	private final BrowserSide browser;

	private final EventLoop eventLoop;

	private final RelayRegistry registry;

	private final int chunkSize;

	private final BrowserStream browserStream;

	private final MqttFramer brokerPackets = new MqttFramer(this::onPacket);

	/** What the browser sent before the broker channel was up, in order. */
	private final Queue<ByteBuf> early = new ArrayDeque<>();

	private @Nullable Channel broker;

	/** Set once either side is closing: nothing more is relayed either way. */
	private boolean closing;

	private boolean disconnectSeen;

	BrokerLink(BrowserSide browser, EventLoop eventLoop, RelayRegistry registry, RelayProperties properties) {
		this.browser = browser;
		this.eventLoop = eventLoop;
		this.registry = registry;
		this.chunkSize = Math.toIntExact(properties.bufferSize().toBytes());
		this.browserStream = new BrowserStream(new MqttFramer(this::onPacket), properties.maxFrameSize().toBytes());
	}

	/** The event loop this link, and its broker channel, run on. */
	EventLoop eventLoop() {
		return this.eventLoop;
	}

	@Override
	public String id() {
		return this.browser.id();
	}

	@Override
	public boolean awaitingBrowser() {
		return this.browser.awaitingBrowser();
	}

	@Override
	public void goAway() {
		this.eventLoop.execute(() -> closeBrowser(CloseCause.goingAway()));
	}

	/** The browser's WebSocket is open: connect to the broker on its behalf. */
	void open(BrokerConnector connector) {
		if (!this.registry.add(this)) {
			closeBrowser(CloseCause.goingAway());
			return;
		}
		// Nothing more from the browser until its bytes have somewhere to go.
		this.browser.readBrowser(false);
		connector.connect(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				initBroker(channel);
			}

		}, this.eventLoop).addListener((Future<Channel> connected) -> {
			if (connected.isSuccess()) {
				brokerConnected(connected.getNow());
			}
			else {
				logger.debug("[{}] Broker unreachable: {}", id(), connected.cause().toString());
				closeBrowser(CloseCause.brokerUnreachable(connected.cause()));
			}
		});
	}

	private void initBroker(Channel channel) {
		// Reads of at most one chunk, and at most 8 chunks waiting for the broker.
		channel.config()
			.setRecvByteBufAllocator(this.browser.oneChunkAtATime()
					? new FixedRecvByteBufAllocator(this.chunkSize).maxMessagesPerRead(1)
					: new AdaptiveRecvByteBufAllocator(64, Math.min(1024, this.chunkSize), this.chunkSize));
		channel.config()
			.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(this.chunkSize * 2, this.chunkSize * 8));
		channel.config().setAutoRead(false);
		channel.pipeline().addLast(new BrokerHandler(this));
	}

	private void brokerConnected(Channel channel) {
		if (this.closing) {
			channel.close();
			return;
		}
		this.broker = channel;
		logger.debug("[{}] Relaying to broker via {}", id(), channel.localAddress());
		ByteBuf chunk;
		while ((chunk = this.early.poll()) != null) {
			channel.write(chunk, channel.voidPromise());
		}
		channel.flush();
		channel.config().setAutoRead(this.browser.isWritable());
		this.browser.readBrowser(channel.isWritable());
	}

	/** A chunk of a binary WebSocket message from the browser; ownership passes to the link. */
	void fromBrowser(ByteBuf chunk, boolean last) {
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
			fail(CloseCause.tooLarge(ex.getMessage()));
			return;
		}
		catch (MqttFramer.MalformedPacketException ex) {
			chunk.release();
			logger.debug("[{}] Malformed MQTT from browser: {}", id(), ex.getMessage());
			fail(CloseCause.malformedFromBrowser(ex.getMessage()));
			return;
		}
		Channel channel = this.broker;
		if (channel == null) {
			this.early.add(chunk);
			return;
		}
		channel.write(chunk, channel.voidPromise());
		if (!channel.isWritable()) {
			this.browser.readBrowser(false);
		}
	}

	/** The browser has nothing more to read for now. */
	void browserReadComplete() {
		if (this.broker != null) {
			this.broker.flush();
		}
	}

	/** The browser takes more again, after {@link BrowserSide#isWritable()} said it did not. */
	void browserWritable() {
		if (this.broker != null && !this.closing) {
			this.broker.config().setAutoRead(true);
		}
	}

	/** The browser is closing its WebSocket: relay nothing more either way. */
	void browserClosing() {
		this.closing = true;
	}

	/**
	 * What the browser sends next cannot be read: relay nothing more, and close the broker side
	 * now (the endpoint closes the browser itself).
	 */
	void browserUnreadable() {
		this.closing = true;
		if (this.broker != null) {
			this.broker.close();
		}
	}

	/** The browser's WebSocket closed, for whatever reason: flush and close the broker side. */
	void browserClosed() {
		this.closing = true;
		ByteBuf chunk;
		while ((chunk = this.early.poll()) != null) {
			chunk.release();
		}
		if (this.broker != null && this.broker.isOpen()) {
			this.broker.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
		this.registry.remove(this);
	}

	/** A chunk from the broker; ownership passes to the link. */
	void fromBroker(ByteBuf chunk) {
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
			fail(CloseCause.malformedFromBroker(ex.getMessage()));
			return;
		}
		this.browser.send(chunk);
		if (!this.browser.isWritable() && this.broker != null) {
			this.broker.config().setAutoRead(false);
		}
	}

	void brokerReadComplete() {
		this.browser.flush();
	}

	void brokerWritabilityChanged(boolean writable) {
		if (!this.closing) {
			this.browser.readBrowser(writable);
		}
	}

	/** The broker channel closed, after a {@code failure} or not ({@code null}). */
	void brokerClosed(@Nullable Throwable failure) {
		if (failure != null) {
			closeBrowser(CloseCause.brokerFailed(failure));
		}
		else if (this.disconnectSeen) {
			closeBrowser(CloseCause.normal());
		}
		else {
			closeBrowser(CloseCause.brokerClosed());
		}
	}

	/** Close the browser after whatever was relayed before; relay nothing more. */
	private void closeBrowser(CloseCause cause) {
		this.closing = true;
		this.browser.close(cause);
	}

	/** The browser or the broker broke the protocol, or the browser failed: close both sides now. */
	void fail(CloseCause cause) {
		closeBrowser(cause);
		if (this.broker != null) {
			this.broker.close();
		}
	}

	/** Either side sent DISCONNECT: the broker closing the connection next is normal. */
	private void onPacket(int type, int remainingLength) {
		if (type == MqttFramer.DISCONNECT) {
			this.disconnectSeen = true;
		}
	}

}
