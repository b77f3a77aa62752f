package io.herald.bench;

import java.nio.charset.StandardCharsets;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Promise;

/**
 * One GET on a fresh connection, its body (or failure on any status but 200) completing a
 * promise; with a bearer token unless it is null.
 */
final class HttpGet extends SimpleChannelInboundHandler<FullHttpResponse> {

	private final int port;

	private final String path;

	private final String token;

	private final Promise<String> body;

	HttpGet(int port, String path, String token, Promise<String> body) {
		this.port = port;
		this.path = path;
		this.token = token;
		this.body = body;
	}

	@Override
	public void channelActive(ChannelHandlerContext context) {
		FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, this.path);
		request.headers().set(HttpHeaderNames.HOST, "localhost:" + this.port);
		if (this.token != null) {
			request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + this.token);
		}
		context.writeAndFlush(request);
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
		if (HttpResponseStatus.OK.equals(response.status())) {
			this.body.trySuccess(response.content().toString(StandardCharsets.UTF_8));
		}
		else {
			this.body.tryFailure(new IllegalStateException("GET " + this.path + ": " + response.status()));
		}
		context.close();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		this.body.tryFailure(cause);
		context.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		this.body.tryFailure(new IllegalStateException("GET " + this.path + ": closed"));
	}

}
