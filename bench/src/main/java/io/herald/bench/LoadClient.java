package io.herald.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Promise;

/**
 * The non-blocking load client: every simulated browser is a Netty channel (TLS, WebSocket with
 * subprotocol {@code mqtt}, MQTT codec) on a few event-loop threads, so one JVM holds thousands.
 * Native epoll and OpenSSL where available ({@code -Dbench.transport=nio}, {@code -Dbench.tls=jdk}
 * to compare): the client shares the cores with the servers it measures.
 */
final class LoadClient implements AutoCloseable {

	private final EventLoopGroup group;

	private final EventLoopGroup publisherGroup;

	private final SslContext sslContext;

	private final Bootstrap bootstrap;

	private final Class<? extends Channel> channelType;

	private final LongAdder tlsRecords = new LongAdder();

	LoadClient(int threads) {
		boolean epoll = !"nio".equals(System.getProperty("bench.transport")) && Epoll.isAvailable();
		IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
		this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-client"), io);
		// Its own thread, so the send timestamps are not delayed by the subscribers' work.
		this.publisherGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-publisher"), io);
		this.sslContext = clientSslContext();
		this.bootstrap = new Bootstrap().group(this.group)
			.channel(this.channelType)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
	}

	EventLoopGroup group() {
		return this.group;
	}

	/**
	 * TLS application-data records received so far by all browsers (WebSockets and event streams;
	 * not the publisher, which is plain TCP, nor {@link #get}).
	 */
	long tlsRecordsReceived() {
		return this.tlsRecords.sum();
	}

	/** The publisher; {@code text}: stamps as text, for event streams. */
	Publisher publisher(int brokerPort, String clientId, boolean text) {
		return Publisher.connect(this.publisherGroup, this.channelType, brokerPort, clientId, text);
	}

	/** Open one browser's event stream to {@code target} over HTTP/1.1; the subscriber reports the outcome. */
	void connect(Target target, EventStreamSubscriber subscriber) {
		int port = target.uri().getPort();
		this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {

			@Override
			protected void initChannel(Channel channel) {
				ChannelPipeline pipeline = channel.pipeline();
				if (target.tls()) {
					pipeline.addLast(new TlsRecordCounter(LoadClient.this.tlsRecords),
							LoadClient.this.sslContext.newHandler(channel.alloc(), "localhost", port));
				}
				pipeline.addLast(new HttpClientCodec(), subscriber);
			}

		}).connect(new InetSocketAddress("127.0.0.1", port)).addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				subscriber.connectFailed(future.cause());
			}
		});
	}

	/**
	 * The body of a GET of {@code path} on a loopback web server ({@code tls}: https), with a
	 * bearer token unless it is null; fails on any status but 200.
	 */
	String get(int port, boolean tls, String path, String token) {
		Promise<String> body = this.group.next().newPromise();
		this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {

			@Override
			protected void initChannel(Channel channel) {
				ChannelPipeline pipeline = channel.pipeline();
				if (tls) {
					pipeline.addLast(LoadClient.this.sslContext.newHandler(channel.alloc(), "localhost", port));
				}
				pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024 * 1024),
						new HttpGet(port, path, token, body));
			}

		}).connect(new InetSocketAddress("127.0.0.1", port)).addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				body.tryFailure(future.cause());
			}
		});
		if (!body.awaitUninterruptibly(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("GET " + path + " on port " + port + " timed out");
		}
		if (!body.isSuccess()) {
			throw new IllegalStateException("GET " + path + " on port " + port + " failed", body.cause());
		}
		return body.getNow();
	}

	/** Open one browser's WebSocket to {@code target}; the subscriber reports the outcome. */
	void connect(Target target, Subscriber subscriber) {
		int port = target.uri().getPort();
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(target.uri())
			.subprotocol("mqtt")
			.maxFramePayloadLength(64 * 1024)
			.handshakeTimeoutMillis(30_000)
			.forceCloseTimeoutMillis(5_000)
			.build();
		this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {

			@Override
			protected void initChannel(Channel channel) {
				ChannelPipeline pipeline = channel.pipeline();
				if (target.tls()) {
					pipeline.addLast(new TlsRecordCounter(LoadClient.this.tlsRecords),
							LoadClient.this.sslContext.newHandler(channel.alloc(), "localhost", port));
				}
				pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
						new WebSocketClientProtocolHandler(config), WebSocketBytes.INSTANCE, new MqttDecoder(),
						MqttEncoder.INSTANCE, subscriber);
			}

		}).connect(new InetSocketAddress("127.0.0.1", port)).addListener((ChannelFutureListener) (future) -> {
			if (!future.isSuccess()) {
				subscriber.connectFailed(future.cause());
			}
		});
	}

	@Override
	public void close() {
		this.group.shutdownGracefully().syncUninterruptibly();
		this.publisherGroup.shutdownGracefully().syncUninterruptibly();
	}

	/**
	 * The servers' certificates are self-signed for this run: the client trusts any. OpenSSL unless
	 * {@code -Dbench.tls=jdk}.
	 */
	private static SslContext clientSslContext() {
		boolean jdk = "jdk".equals(System.getProperty("bench.tls")) || !OpenSsl.isAvailable();
		try {
			return SslContextBuilder.forClient()
				.sslProvider(jdk ? SslProvider.JDK : SslProvider.OPENSSL)
				.trustManager(InsecureTrustManagerFactory.INSTANCE)
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Failed to create the client TLS context", ex);
		}
	}

}
