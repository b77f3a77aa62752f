package io.herald.relay;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets through only WebSocket handshakes the relay can serve (its path, an MQTT
 * subprotocol, an allowed origin) and answers anything else with a problem detail, as the
 * web server's endpoint does, with 503 when the listener is full; closes a connection
 * that has not completed its handshake in time.
 */
final class HandshakeGuard extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(HandshakeGuard.class);

	private static final String FORWARDED_FOR = "X-Forwarded-For";

	private final String path;

	private final OriginPolicy origins;

	private final AddressLimit addresses;

	private final Duration timeout;

	/** Why this connection is over the listener's limit, or {@code null}. */
	private final @Nullable String full;

	private final RelayRegistry relays;

	private ScheduledFuture<?> deadline;

	HandshakeGuard(String path, OriginPolicy origins, AddressLimit addresses, Duration timeout, @Nullable String full,
			RelayRegistry relays) {
		this.relays = relays;
		this.path = path;
		this.origins = origins;
		this.addresses = addresses;
		this.timeout = timeout;
		this.full = full;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		// The guard leaves the pipeline once the handshake completes: until then, the
		// clock runs.
		this.deadline = context.executor().schedule(() -> {
			logger.debug("[{}] No WebSocket handshake within {}: closing", context.channel().id().asShortText(),
					this.timeout);
			context.close();
		}, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext context) {
		if (this.deadline != null) {
			this.deadline.cancel(false);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (!(message instanceof FullHttpRequest request)) {
			context.fireChannelRead(message);
			return;
		}
		String requestPath = new QueryStringDecoder(request.uri()).path();
		Refusal refusal = check(request, requestPath);
		if (refusal == null) {
			String address = this.addresses.clientAddress((InetSocketAddress) context.channel().remoteAddress(),
					request.headers().get(FORWARDED_FOR));
			if (this.addresses.tryOpen(address)) {
				context.channel().closeFuture().addListener((closed) -> this.addresses.closed(address));
				context.fireChannelRead(request);
				return;
			}
			refusal = new Refusal(RelayMetrics.Refusal.ADDRESS_LIMIT, HttpResponseStatus.TOO_MANY_REQUESTS,
					this.addresses.refusal(address));
		}
		request.release();
		this.relays.metrics().refused(refusal.reason());
		refuse(context, refusal, requestPath);
	}

	/** What is wrong with the request, or {@code null}. */
	private Refusal check(FullHttpRequest request, String requestPath) {
		if (request.decoderResult().isFailure()) {
			return new Refusal(RelayMetrics.Refusal.MALFORMED, HttpResponseStatus.BAD_REQUEST,
					"Malformed HTTP request: " + request.decoderResult().cause().getMessage());
		}
		if (!requestPath.equals(this.path)) {
			return new Refusal(RelayMetrics.Refusal.NOT_FOUND, HttpResponseStatus.NOT_FOUND,
					"This port serves only the MQTT WebSocket endpoint " + this.path);
		}
		if (this.full != null) {
			return new Refusal(RelayMetrics.Refusal.FULL, HttpResponseStatus.SERVICE_UNAVAILABLE, this.full);
		}
		if (!this.relays.accepting()) {
			return new Refusal(RelayMetrics.Refusal.DRAINING, HttpResponseStatus.SERVICE_UNAVAILABLE,
					RelayRegistry.DRAINING);
		}
		if (!HttpMethod.GET.equals(request.method())
				|| !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
			return new Refusal(RelayMetrics.Refusal.NOT_WEBSOCKET, HttpResponseStatus.BAD_REQUEST,
					"Expected a WebSocket handshake (GET with Upgrade: websocket)");
		}
		List<String> offered = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
		boolean mqtt = offered.stream()
			.flatMap((header) -> List.of(header.split(",")).stream())
			.anyMatch((protocol) -> MqttSubprotocolInterceptor.SUBPROTOCOLS.contains(protocol.trim()));
		if (!mqtt) {
			return new Refusal(RelayMetrics.Refusal.SUBPROTOCOL, HttpResponseStatus.BAD_REQUEST,
					MqttSubprotocolInterceptor.DETAIL);
		}
		String origin = request.headers().get(HttpHeaderNames.ORIGIN);
		if (!this.origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
			return new Refusal(RelayMetrics.Refusal.ORIGIN, HttpResponseStatus.FORBIDDEN, this.origins.refusal(origin));
		}
		return null;
	}

	private static void refuse(ChannelHandlerContext context, Refusal refusal, String instance) {
		HttpResponseStatus status = refusal.status();
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.reasonPhrase());
		problem.put("status", status.code());
		problem.put("detail", refusal.detail());
		problem.put("instance", instance);
		byte[] body = JsonMapper.shared().writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	private record Refusal(RelayMetrics.Refusal reason, HttpResponseStatus status, String detail) {

	}

}
