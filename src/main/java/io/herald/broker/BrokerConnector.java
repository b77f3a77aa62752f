package io.herald.broker;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import org.springframework.beans.factory.DisposableBean;

/**
 * Opens non-blocking TCP (or TLS) connections to the broker on a small shared set of I/O
 * threads, so thousands of relayed browsers cost no thread each; tries the failover URLs
 * in order when the primary cannot be reached.
 */
public final class BrokerConnector implements DisposableBean {

	private final BrokerEndpoint endpoint;

	private final boolean epoll;

	private final EventLoopGroup group;

	private final Bootstrap bootstrap;

	private final SslContext sslContext;

	BrokerConnector(BrokerEndpoint endpoint, Duration connectTimeout) {
		this(endpoint, connectTimeout, 0);
	}

	/** With {@code ioThreads} event loops, or one per available core for {@code 0}. */
	BrokerConnector(BrokerEndpoint endpoint, Duration connectTimeout, int ioThreads) {
		this.endpoint = endpoint;
		// Linux's epoll, when its native library loads: fewer system calls and less
		// garbage per read.
		this.epoll = Epoll.isAvailable();
		this.group = new MultiThreadIoEventLoopGroup(
				(ioThreads > 0) ? ioThreads : Runtime.getRuntime().availableProcessors(),
				new DefaultThreadFactory("herald-io", true),
				this.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		this.bootstrap = new Bootstrap().group(this.group)
			.channel(this.epoll ? EpollSocketChannel.class : NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()));
		this.sslContext = endpoint.uris().stream().anyMatch(BrokerEndpoint::tls) ? clientSslContext() : null;
	}

	/**
	 * Open a connection to the broker; {@code initializer} completes the channel's
	 * pipeline after TLS, if any. The future fails with the last URL's reason when none
	 * can be reached.
	 */
	public Future<Channel> connect(ChannelInitializer<Channel> initializer) {
		return connect(initializer, this.group.next());
	}

	/**
	 * Open a connection to the broker served by {@code eventLoop}, one of
	 * {@link #ioThreads()}: a browser connection on the same thread then relays to it
	 * without handing bytes over.
	 */
	public Future<Channel> connect(ChannelInitializer<Channel> initializer, EventLoop eventLoop) {
		Promise<Channel> result = eventLoop.newPromise();
		connect(this.endpoint.uris(), 0, initializer, eventLoop, result);
		return result;
	}

	/** The I/O threads broker connections run on, for servers that relay to them. */
	public EventLoopGroup ioThreads() {
		return this.group;
	}

	/** The server channel type that runs on {@link #ioThreads()}. */
	public Class<? extends ServerChannel> serverChannelType() {
		return this.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
	}

	public BrokerEndpoint endpoint() {
		return this.endpoint;
	}

	@Override
	public void destroy() {
		this.group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private void connect(List<URI> uris, int index, ChannelInitializer<Channel> initializer, EventLoop eventLoop,
			Promise<Channel> result) {
		URI uri = uris.get(index);
		ChannelFuture attempt = this.bootstrap.clone(eventLoop)
			.remoteAddress(uri.getHost(), BrokerEndpoint.port(uri))
			.handler(new ChannelInitializer<>() {

				@Override
				protected void initChannel(Channel channel) {
					if (BrokerEndpoint.tls(uri)) {
						channel.pipeline()
							.addLast(BrokerConnector.this.sslContext.newHandler(channel.alloc(), uri.getHost(),
									BrokerEndpoint.port(uri)));
					}
					channel.pipeline().addLast(initializer);
				}

			})
			.connect();
		attempt.addListener((ChannelFutureListener) (future) -> {
			if (future.isSuccess()) {
				result.trySuccess(future.channel());
			}
			else if (index + 1 < uris.size()) {
				connect(uris, index + 1, initializer, eventLoop, result);
			}
			else {
				result.tryFailure(future.cause());
			}
		});
	}

	private static SslContext clientSslContext() {
		try {
			return SslContextBuilder.forClient().build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Failed to create the TLS context for the broker connection", ex);
		}
	}

}
