package io.herald.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One simulated {@code EventSource}: a GET of Herald's event stream over HTTP/1.1; the 200
 * response counts as subscribed, and each {@code message} event is a delivery, its send time
 * and sequence number read from the MQTT payload that the event's JSON data carries as text.
 */
final class EventStreamSubscriber extends SimpleChannelInboundHandler<HttpObject> implements Browser {

	/** {@value Subscriber#FILTER}, URL-encoded: a bare {@code +} in a query is a space. */
	static final String PATH = "/api/news/stream?filter=%2Fnews%2F%2B%2Fsport";

	private static final String PAYLOAD_FIELD = "\"payload\":\"";

	private final String host;

	private final Listener listener;

	private final boolean leaveAfterSubscribe;

	private final long startNanos = System.nanoTime();

	private final StringBuilder line = new StringBuilder();

	private volatile long highestSeq = -1;

	private volatile Channel channel;

	private boolean outcomeReported;

	private boolean closeReported;

	private long establishedNanos;

	private String event = "message";

	private String data;

	EventStreamSubscriber(String host, Listener listener, boolean leaveAfterSubscribe) {
		this.host = host;
		this.listener = listener;
		this.leaveAfterSubscribe = leaveAfterSubscribe;
	}

	@Override
	public long highestSeq() {
		return this.highestSeq;
	}

	@Override
	public long establishNanos() {
		return this.establishedNanos - this.startNanos;
	}

	@Override
	public long establishedAt() {
		return this.establishedNanos;
	}

	@Override
	public boolean isActive() {
		Channel current = this.channel;
		return current != null && current.isActive();
	}

	@Override
	public void connectFailed(Throwable cause) {
		reportFailure("connect: " + cause);
		reportClosed();
	}

	/** A closing page's {@code EventSource} just closes its connection. */
	@Override
	public void leave() {
		Channel current = this.channel;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		this.channel = context.channel();
	}

	@Override
	public void channelActive(ChannelHandlerContext context) throws Exception {
		FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, PATH);
		request.headers()
			.set(HttpHeaderNames.HOST, this.host)
			.set(HttpHeaderNames.ACCEPT, "text/event-stream")
			.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
		context.writeAndFlush(request);
		super.channelActive(context);
	}

	@Override
	protected void channelRead0(ChannelHandlerContext context, HttpObject message) {
		if (message instanceof HttpResponse response) {
			if (!HttpResponseStatus.OK.equals(response.status())) {
				reportFailure("HTTP " + response.status());
				context.close();
				return;
			}
			this.establishedNanos = System.nanoTime();
			this.outcomeReported = true;
			this.listener.established(this);
			if (this.leaveAfterSubscribe) {
				leave();
				return;
			}
		}
		if (message instanceof HttpContent content && this.establishedNanos != 0) {
			ByteBuf bytes = content.content();
			for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i++) {
				char c = (char) (bytes.getByte(i) & 0xff);
				if (c == '\n') {
					line(this.line.toString());
					this.line.setLength(0);
				}
				else if (c != '\r') {
					this.line.append(c);
				}
			}
		}
	}

	/** One line of the stream: a field of the event being read, or the blank line ending it. */
	private void line(String text) {
		if (text.isEmpty()) {
			if (this.data != null && "message".equals(this.event)) {
				deliver(this.data);
			}
			this.event = "message";
			this.data = null;
		}
		else if (text.startsWith("event:")) {
			this.event = text.substring("event:".length()).trim();
		}
		else if (text.startsWith("data:")) {
			String value = text.substring("data:".length()).stripLeading();
			this.data = this.data == null ? value : this.data + "\n" + value;
		}
		// id:, retry: and comment lines (heartbeats) need nothing here.
	}

	private void deliver(String json) {
		int at = json.indexOf(PAYLOAD_FIELD);
		if (at < 0) {
			return;
		}
		long[] stamp = Publisher.parseText(json, at + PAYLOAD_FIELD.length());
		if (stamp == null) {
			return;
		}
		boolean duplicate = stamp[1] <= this.highestSeq;
		if (!duplicate) {
			this.highestSeq = stamp[1];
		}
		this.listener.delivered(stamp[0], duplicate);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		reportFailure(cause.toString());
		context.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) throws Exception {
		reportFailure("closed before the response");
		reportClosed();
		super.channelInactive(context);
	}

	private void reportClosed() {
		if (!this.closeReported) {
			this.closeReported = true;
			this.listener.closed(this);
		}
	}

	private void reportFailure(String reason) {
		if (!this.outcomeReported) {
			this.outcomeReported = true;
			this.listener.failed(this, reason);
		}
	}

}
