package io.herald.broker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Opens non-blocking TCP (or TLS) connections to the broker on a small shared set of I/O threads,
 * so thousands of relayed browsers cost no thread each.
 */
public final class BrokerConnector implements DisposableBean {

	private final BrokerEndpoint endpoint;

	private final EventLoopGroup group;

	private final Bootstrap bootstrap;

	private final SslContext sslContext;

	BrokerConnector(BrokerEndpoint endpoint, Duration connectTimeout) {
		this.endpoint = endpoint;
		this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
				new DefaultThreadFactory("herald-upstream", true), NioIoHandler.newFactory());
		this.bootstrap = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
			.remoteAddress(endpoint.host(), endpoint.port());
		this.sslContext = endpoint.tls() ? clientSslContext() : null;
	}

	/**
	 * Open a connection to the broker; {@code initializer} completes the channel's pipeline
	 * after TLS, if any.
	 */
	public ChannelFuture connect(ChannelInitializer<Channel> initializer) {
		return this.bootstrap.clone().handler(new ChannelInitializer<Channel>() {

			@Override
			protected void initChannel(Channel channel) {
				if (BrokerConnector.this.sslContext != null) {
					channel.pipeline()
						.addLast(BrokerConnector.this.sslContext.newHandler(channel.alloc(),
								BrokerConnector.this.endpoint.host(), BrokerConnector.this.endpoint.port()));
				}
				channel.pipeline().addLast(initializer);
			}

		}).connect();
	}

	public BrokerEndpoint endpoint() {
		return this.endpoint;
	}

	@Override
	public void destroy() {
		this.group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
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
