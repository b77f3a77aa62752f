package io.herald.relay;

import java.util.ArrayDeque;
import java.util.Queue;

import io.herald.broker.BrokerConnector;
import io.herald.mqtt.MqttFramer;
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

/**
 * One browser's connection to the broker, whichever endpoint accepted the browser: where
 * both endpoints meet. It opens the broker channel, holds what the browser sends until
 * that channel is up, checks both byte streams against MQTT's framing, relays each
 * direction only as fast as the other side takes it, and decides how the session ends.
 * Runs on its event loop only, but for {@link #goAway()} and {@link #awaitingBrowser()}.
 */
final class BrokerLink implements RelayedBrowser, MqttGuard.Output {

	private static final Logger logger = LoggerFactory.getLogger(BrokerLink.class);

	private final BrowserSide browser;

	private final EventLoop eventLoop;

	private final RelayRegistry registry;

	private final int chunkSize;

	private final BrowserStream browserStream;

	private final MqttFramer brokerPackets = new MqttFramer(
			(type, remainingLength) -> packetSeen(RelayMetrics.Direction.TO_BROWSER, type));

	/** What the browser sent before the broker channel was up, in order. */
	private final Queue<ByteBuf> early = new ArrayDeque<>();

	private final @Nullable MqttGuard guard;

	private final @Nullable BrowserPing ping;

	private @Nullable BrokerConnector connector;

	private @Nullable Channel broker;

	/**
	 * Whether the broker may be connected to: at once without a gate, after the CONNECT
	 * with one.
	 */
	private boolean admitted;

	/** Whether the guard holds the browser's reads back while it decides. */
	private boolean guardHolds;

	/** Set once either side is closing: nothing more is relayed either way. */
	private boolean closing;

	private boolean disconnectSeen;

	/** Whether something was sent to the browser since it was last flushed. */
	private boolean browserUnflushed;

	BrokerLink(BrowserSide browser, EventLoop eventLoop, RelayRegistry registry, RelayProperties properties,
			@Nullable RelayGate gate, @Nullable String urlToken) {
		this.browser = browser;
		this.eventLoop = eventLoop;
		this.registry = registry;
		this.chunkSize = Math.toIntExact(properties.bufferSize().toBytes());
		// With a gate, it frames the browser's stream and tells of its DISCONNECT: one
		// scan, not two.
		this.browserStream = new BrowserStream(
				(gate != null) ? null
						: new MqttFramer((type, remainingLength) -> packetSeen(RelayMetrics.Direction.TO_BROKER, type)),
				properties.maxFrameSize().toBytes());
		this.admitted = (gate == null);
		this.ping = properties.pingInterval().isZero() ? null
				: new BrowserPing(properties.pingInterval(), this::pingBrowser, this::fail);
		// Last: the guard starts its CONNECT deadline on this link's event loop.
		this.guard = (gate != null) ? gate.guard(this, urlToken) : null;
	}

	/** The event loop this link, and its broker channel, run on. */
	@Override
	public EventLoop eventLoop() {
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

	/**
	 * The browser's WebSocket is open: connect to the broker on its behalf, at once or
	 * once the guard let its CONNECT in.
	 */
	void open(BrokerConnector connector) {
		this.connector = connector;
		if (!this.registry.add(this)) {
			closeBrowser(CloseCause.goingAway());
			return;
		}
		if (this.ping != null) {
			this.ping.start(this.eventLoop);
		}
		if (this.admitted) {
			connect();
		}
	}

	@Override
	public void admitted() {
		this.admitted = true;
		connect();
	}

	private void connect() {
		// Nothing more from the browser until its bytes have somewhere to go.
		updateReading();
		this.connector.connect(new ChannelInitializer<>() {

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
				if (this.guard != null) {
					this.guard.brokerUnavailable();
				}
				closeBrowser(CloseCause.brokerUnreachable(connected.cause()));
			}
		});
	}

	private void initBroker(Channel channel) {
		// Reads of at most one chunk, and at most 8 chunks waiting for the broker.
		channel.config()
			.setRecvByteBufAllocator(
					this.browser.oneChunkAtATime() ? new FixedRecvByteBufAllocator(this.chunkSize).maxMessagesPerRead(1)
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
		updateReading();
	}

	/**
	 * Read from the browser only while its bytes have somewhere to go and the guard does
	 * not hold them.
	 */
	private void updateReading() {
		if (this.closing) {
			// Reading goes on as it is: the browser's answer to a close frame must get
			// through.
			return;
		}
		Channel channel = this.broker;
		boolean brokerTakes = !this.admitted || (channel != null && channel.isWritable());
		this.browser.readBrowser(!this.guardHolds && brokerTakes);
	}

	@Override
	public void readBrowser(boolean read) {
		this.guardHolds = !read;
		updateReading();
	}

	/**
	 * A chunk of a binary WebSocket message from the browser; ownership passes to the
	 * link.
	 */
	void fromBrowser(ByteBuf chunk, boolean last) {
		if (this.closing) {
			chunk.release();
			return;
		}
		browserAnswered();
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
		if (this.guard != null) {
			this.guard.fromBrowser(chunk);
		}
		else {
			toBroker(chunk);
		}
	}

	@Override
	public void toBroker(ByteBuf bytes) {
		Channel channel = this.broker;
		if (this.closing) {
			bytes.release();
			return;
		}
		this.registry.metrics().toBroker(bytes.readableBytes());
		if (channel == null) {
			this.early.add(bytes);
			return;
		}
		channel.write(bytes, channel.voidPromise());
		if (!channel.isWritable()) {
			this.browser.readBrowser(false);
		}
	}

	private void pingBrowser() {
		if (!this.closing) {
			this.browser.ping();
		}
	}

	/** Something came from the browser (a pong, or anything else): it is still there. */
	void browserAnswered() {
		if (this.ping != null) {
			this.ping.answered();
		}
	}

	/** The browser has nothing more to read for now. */
	void browserReadComplete() {
		if (this.broker != null) {
			this.broker.flush();
		}
		// Herald's own answers to what the browser sent (a refused PUBLISH's PUBACK) wait
		// for no broker read.
		if (this.browserUnflushed) {
			flushBrowser();
		}
	}

	/**
	 * The browser takes more again, after {@link BrowserSide#isWritable()} said it did
	 * not.
	 */
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
	 * What the browser sends next cannot be read: relay nothing more, and close the
	 * broker side now (the endpoint closes the browser itself).
	 */
	void browserUnreadable() {
		this.closing = true;
		if (this.broker != null) {
			this.broker.close();
		}
	}

	/**
	 * The browser's WebSocket closed, for whatever reason: flush and close the broker
	 * side.
	 */
	void browserClosed() {
		this.closing = true;
		stopPing();
		if (this.guard != null) {
			this.guard.close();
		}
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
			if (this.guard != null) {
				this.guard.fromBroker(chunk);
				return;
			}
			this.brokerPackets.scan(chunk);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			if (this.guard == null) {
				chunk.release();
			}
			logger.warn("[{}] Malformed MQTT from broker: {}", id(), ex.getMessage());
			fail(CloseCause.malformedFromBroker(ex.getMessage()));
			return;
		}
		toBrowser(chunk);
	}

	@Override
	public void toBrowser(ByteBuf packet) {
		if (this.closing) {
			packet.release();
			return;
		}
		this.registry.metrics().toBrowser(packet.readableBytes());
		this.browser.send(packet);
		this.browserUnflushed = true;
		if (!this.browser.isWritable() && this.broker != null) {
			this.broker.config().setAutoRead(false);
		}
	}

	@Override
	public void denied(RelayMetrics.Rule rule) {
		this.registry.metrics().denied(rule);
	}

	@Override
	public String endpoint() {
		return this.browser.endpoint();
	}

	@Override
	public void packetSeen(RelayMetrics.Direction direction, int type) {
		this.registry.metrics().packet(direction, type);
		if (type == MqttFramer.DISCONNECT) {
			this.disconnectSeen = true;
		}
	}

	@Override
	public void refuse(CloseCause cause) {
		fail(cause);
	}

	void brokerReadComplete() {
		flushBrowser();
	}

	private void flushBrowser() {
		this.browserUnflushed = false;
		this.browser.flush();
	}

	void brokerWritabilityChanged(boolean writable) {
		updateReading();
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
		if (!this.closing) {
			// Whatever held the browser's reads back, its answer to the close frame must
			// get through.
			this.browser.readBrowser(true);
		}
		this.closing = true;
		stopPing();
		if (this.guard != null) {
			this.guard.close();
		}
		this.registry.metrics().closed(cause.code());
		this.browser.close(cause);
	}

	private void stopPing() {
		if (this.ping != null) {
			this.ping.stop();
		}
	}

	/**
	 * The browser or the broker broke the protocol, or the browser failed: close both
	 * sides now.
	 */
	void fail(CloseCause cause) {
		closeBrowser(cause);
		if (this.broker != null) {
			this.broker.close();
		}
	}

}
