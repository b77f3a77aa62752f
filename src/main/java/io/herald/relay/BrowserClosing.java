package io.herald.relay;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a browser's WebSocket on the relay listener ends: Herald's close frame, sent once
 * after what was relayed before it, with the connection cut if the browser does not
 * answer; the browser's own close frame, answered; and a cut when the browser leaves
 * relayed bytes unread for {@code herald.relay.send-timeout}. Used on the browser
 * channel's I/O thread only.
 */
final class BrowserClosing {

	private static final Logger logger = LoggerFactory.getLogger(BrowserClosing.class);

	/**
	 * How long a browser has to answer Herald's close frame before the connection is cut.
	 */
	private static final long CLOSE_HANDSHAKE_TIMEOUT_SECONDS = 5;

	private final Channel browser;

	private final long sendTimeoutNanos;

	private boolean closeSent;

	private ScheduledFuture<?> sendDeadline;

	BrowserClosing(Channel browser, long sendTimeoutNanos) {
		this.browser = browser;
		this.sendTimeoutNanos = sendTimeoutNanos;
	}

	/** Send a close frame, unless one was sent already (reason {@code null} for none). */
	void close(WebSocketCloseStatus status, String reason) {
		if (this.closeSent || !this.browser.isActive()) {
			return;
		}
		this.closeSent = true;
		Channel channel = this.browser;
		// The browser's answering close frame closes the connection; this is in case it
		// never comes.
		channel.writeAndFlush(frame(status, reason))
			.addListener((written) -> channel.eventLoop()
				.schedule(() -> channel.close(), CLOSE_HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
	}

	/**
	 * Send a close frame after a frame Herald could not decode, then end Herald's side of
	 * the connection: the browser cannot be expected to see its close frame answered, as
	 * what it sends next is discarded unread. Reading goes on until the browser closes,
	 * so that it is not reset while the rest of its frame is still arriving.
	 */
	void closeUnreadable(WebSocketCloseStatus status, String reason) {
		Channel channel = this.browser;
		channel.config().setAutoRead(true);
		if (this.closeSent || !channel.isActive()) {
			return;
		}
		this.closeSent = true;
		channel.writeAndFlush(frame(status, reason)).addListener((written) -> {
			SslHandler tls = channel.pipeline().get(SslHandler.class);
			Future<?> notified = (tls != null) ? tls.closeOutbound() : channel.newSucceededFuture();
			notified.addListener((sent) -> ((DuplexChannel) channel).shutdownOutput());
			channel.eventLoop().schedule(() -> channel.close(), CLOSE_HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		});
	}

	/**
	 * The browser sent a close frame: the answer to Herald's, or its own, answered with
	 * its code.
	 */
	void closeReceived(CloseWebSocketFrame close) {
		if (this.closeSent) {
			close.release();
			this.browser.close();
			return;
		}
		this.closeSent = true;
		this.browser.writeAndFlush(new CloseWebSocketFrame(true, 0, close.content()))
			.addListener(ChannelFutureListener.CLOSE);
	}

	private static CloseWebSocketFrame frame(WebSocketCloseStatus status, String reason) {
		return (reason != null) ? new CloseWebSocketFrame(status.code(), CloseReasons.fit(reason))
				: new CloseWebSocketFrame(status);
	}

	/**
	 * Start the send deadline while the browser is not taking what is relayed, stop it
	 * when it does.
	 */
	void writabilityChanged(boolean writable) {
		if (writable) {
			cancel();
		}
		else if (this.sendDeadline == null && this.sendTimeoutNanos > 0) {
			this.sendDeadline = this.browser.eventLoop()
				.schedule(this::sendTimedOut, this.sendTimeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	/** The connection is gone: nothing left to time. */
	void cancel() {
		if (this.sendDeadline != null) {
			this.sendDeadline.cancel(false);
			this.sendDeadline = null;
		}
	}

	private void sendTimedOut() {
		this.sendDeadline = null;
		logger.debug("[{}] Browser did not read for {} ms: closing", this.browser.id().asShortText(),
				TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos));
		// A browser that does not read would not read a close frame either.
		this.browser.close();
	}

}
