package io.herald.relay;

import java.net.BindException;
import java.net.InetSocketAddress;

import io.herald.broker.BrokerConnector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Herald's own WebSocket server for browsers, on a port beside the web server's: it
 * serves the relay endpoint on the broker connections' I/O threads, each browser sharing
 * one thread with its broker connection.
 */
public class RelayListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RelayListener.class);

	/** A handshake is a request line and headers, no body. */
	private static final int MAX_HANDSHAKE_BYTES = 8192;

	private final BrokerConnector connector;

	private final RelayRegistry registry;

	private final RelayProperties properties;

	private final @Nullable RelayGate gate;

	private final AddressLimit addresses;

	private volatile SslContext sslContext;

	private final ConnectionLimit connections;

	private volatile Channel server;

	RelayListener(BrokerConnector connector, RelayRegistry registry, RelayProperties properties,
			@Nullable RelayGate gate, AddressLimit addresses, SslContext sslContext) {
		this.gate = gate;
		this.addresses = addresses;
		this.connector = connector;
		this.registry = registry;
		this.properties = properties;
		this.connections = new ConnectionLimit(properties.listener().maxConnections(), "This listener",
				"herald.relay.listener.max-connections");
		this.sslContext = sslContext;
	}

	/** The port browsers connect to (the bound one when configured as 0). */
	public int port() {
		Channel channel = this.server;
		return (channel != null) ? ((InetSocketAddress) channel.localAddress()).getPort() : -1;
	}

	/** Whether the listener serves wss (TLS) rather than plain ws. */
	public boolean secure() {
		return this.sslContext != null;
	}

	/**
	 * Serve connections accepted from now on with {@code sslContext} (a renewed
	 * certificate).
	 */
	void useTls(SslContext sslContext) {
		this.sslContext = sslContext;
		logger.info("Relay listener serving a renewed TLS certificate to new connections");
	}

	@Override
	public void start() {
		RelayProperties.Listener listener = this.properties.listener();
		int chunkSize = Math.toIntExact(this.properties.bufferSize().toBytes());
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.connector.ioThreads())
			.channel(this.connector.serverChannelType())
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(chunkSize * 2, chunkSize * 8))
			.childHandler(new Browsers());
		InetSocketAddress address = (listener.address() != null)
				? new InetSocketAddress(listener.address(), listener.port()) : new InetSocketAddress(listener.port());
		try {
			this.server = bootstrap.bind(address).syncUninterruptibly().channel();
		}
		catch (Exception ex) {
			if (addressInUse(ex)) {
				throw new RelayListenerPortInUseException(address.getHostString() + ":" + address.getPort(), ex);
			}
			throw new IllegalStateException("Failed to open the relay listener on " + address, ex);
		}
		logger.info("Relay listener accepting browsers at {}://{}:{}{}{}", secure() ? "wss" : "ws",
				(listener.address() != null) ? listener.address() : "*", port(), this.properties.path(),
				secure() ? " (TLS by " + (OpenSsl.isAvailable() ? OpenSsl.versionString() : "the JDK") + ")" : "");
	}

	/**
	 * NIO reports a taken port as a BindException, epoll as a native I/O error with the
	 * same text.
	 */
	private static boolean addressInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException
					|| String.valueOf(cause.getMessage()).contains("Address already in use")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * With the relay registry it depends on, after the drain: while Herald drains, this
	 * port stays open and answers handshakes 503.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 256;
	}

	@Override
	public void stop() {
		Channel channel = this.server;
		if (channel != null) {
			channel.close().syncUninterruptibly();
		}
	}

	@Override
	public boolean isRunning() {
		Channel channel = this.server;
		return channel != null && channel.isOpen();
	}

	/** The pipeline of each browser connection, from TLS to the relay. */
	private final class Browsers extends ChannelInitializer<SocketChannel> {

		private final OriginPolicy origins = new OriginPolicy(RelayListener.this.properties.allowedOrigins());

		private final AddressLimit addresses = RelayListener.this.addresses;

		private final WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
			.websocketPath(RelayListener.this.properties.path())
			// The path with a query (?access_token=...); HandshakeGuard has let only the
			// exact path through.
			.checkStartsWith(true)
			.subprotocols(String.join(",", MqttSubprotocolInterceptor.SUBPROTOCOLS))
			.handshakeTimeoutMillis(RelayListener.this.properties.listener().handshakeTimeout().toMillis())
			// Herald answers close frames itself and sends its own, with the reason.
			.handleCloseFrames(false)
			// Pongs tell the link the browser is still there (pings are answered by
			// Netty).
			.dropPongFrames(false)
			.sendCloseFrame(null)
			.decoderConfig(WebSocketDecoderConfig.newBuilder()
				.maxFramePayloadLength(Math.toIntExact(RelayListener.this.properties.maxFrameSize().toBytes()))
				.allowExtensions(false)
				// Herald sends the close frame, with the property to change in its
				// reason.
				.closeOnProtocolViolation(false)
				.build())
			.build();

		@Override
		protected void initChannel(SocketChannel channel) {
			// Counted from accept to close, handshakes included: each one holds a
			// descriptor.
			ConnectionLimit.Slot slot = RelayListener.this.connections.tryOpen();
			if (slot != null) {
				channel.closeFuture().addListener((closed) -> slot.release());
			}
			ChannelPipeline pipeline = channel.pipeline();
			SslContext tls = RelayListener.this.sslContext;
			if (tls != null) {
				pipeline.addLast(tls.newHandler(channel.alloc()));
			}
			pipeline.addLast(new HttpServerCodec(4096, MAX_HANDSHAKE_BYTES, MAX_HANDSHAKE_BYTES));
			pipeline.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
			pipeline.addLast(new HandshakeGuard(RelayListener.this.properties.path(), this.origins, this.addresses,
					RelayListener.this.properties.listener().handshakeTimeout(),
					(slot != null) ? null : RelayListener.this.connections.refusal(), RelayListener.this.registry));
			ListenerRelay relay = new ListenerRelay(RelayListener.this.connector, RelayListener.this.registry,
					RelayListener.this.properties, RelayListener.this.gate);
			pipeline.addLast(relay.frameViolations());
			pipeline.addLast(new WebSocketServerProtocolHandler(this.webSocket));
			pipeline.addLast(relay);
		}

	}

}
