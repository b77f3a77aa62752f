package io.herald.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.herald.broker.BrokerConnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import org.apache.tomcat.websocket.WsSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * One browser on the web server's endpoint: carries its WebSocket's chunks from Tomcat's
 * threads to its {@link BrokerLink}'s event loop, and what the link sends back through
 * Tomcat's asynchronous send.
 */
final class WebServerRelay implements BrowserSide, BrowserBound.Listener {

	/** How the metrics name the web server's endpoint. */
	static final String ENDPOINT = "web";

	private static final Logger logger = LoggerFactory.getLogger(WebServerRelay.class);

	private final WebSocketSession browser;

	private final WsSession session;

	private final Executor closeExecutor;

	private final BrokerLink link;

	private final BrowserBound browserBound;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Whether Tomcat reads from the browser (event loop). */
	private boolean reading = true;

	WebServerRelay(WebSocketSession browser, EventLoop eventLoop, RelayRegistry registry, RelayProperties properties,
			@Nullable RelayGate gate, Executor closeExecutor) {
		this.browser = browser;
		this.session = (WsSession) ((StandardWebSocketSession) browser).getNativeSession();
		this.closeExecutor = closeExecutor;
		this.link = new BrokerLink(this, eventLoop, registry, properties, gate,
				RelayGate.urlToken((browser.getUri() != null) ? browser.getUri().toString() : null));
		this.browserBound = new BrowserBound(this.session.getAsyncRemote(), eventLoop, closeExecutor, this);
	}

	@Override
	public String id() {
		return this.browser.getId();
	}

	/** The WebSocket is open (Tomcat thread). */
	void opened(BrokerConnector connector) {
		onEventLoop(() -> this.link.open(connector));
	}

	/** A chunk of a binary message from the browser (Tomcat thread). */
	void fromBrowser(ByteBuffer chunk, boolean last) {
		ByteBuf data = ByteBufAllocator.DEFAULT.ioBuffer(chunk.remaining()).writeBytes(chunk);
		if (!onEventLoop(() -> {
			this.link.fromBrowser(data, last);
			this.link.browserReadComplete();
		})) {
			data.release();
		}
	}

	/** The browser's WebSocket closed, for whatever reason (Tomcat thread). */
	void browserClosed(CloseStatus status) {
		this.closed.set(true);
		onEventLoop(() -> {
			this.browserBound.discard();
			this.link.browserClosed();
		});
		logger.debug("[{}] Browser closed: {}", id(), status);
	}

	private boolean onEventLoop(Runnable task) {
		try {
			this.link.eventLoop().execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			logger.debug("[{}] Herald is stopping: {}", id(), ex.toString());
			return false;
		}
	}

	@Override
	public void send(ByteBuf data) {
		this.browserBound.send(data);
	}

	@Override
	public void ping() {
		this.browserBound.ping();
	}

	/** A pong from the browser (Tomcat thread). */
	void pong() {
		onEventLoop(this.link::browserAnswered);
	}

	@Override
	public void flush() {
		// Each chunk is on its way once handed to Tomcat.
	}

	@Override
	public boolean isWritable() {
		return this.browserBound.idle();
	}

	@Override
	public boolean awaitingBrowser() {
		return this.browserBound.awaitingBrowser();
	}

	@Override
	public void readBrowser(boolean read) {
		if (read == this.reading || this.closed.get()) {
			return;
		}
		this.reading = read;
		if (read) {
			this.session.resume();
		}
		else {
			this.session.suspend();
		}
	}

	@Override
	public String endpoint() {
		return ENDPOINT;
	}

	@Override
	public void close(CloseCause cause) {
		this.browserBound.close(cause);
	}

	@Override
	public boolean oneChunkAtATime() {
		return true;
	}

	@Override
	public void drained() {
		this.link.browserWritable();
	}

	@Override
	public void sendFailed(Throwable failure) {
		if (this.closed.get() || !this.session.isOpen()) {
			// The browser left while a send was on its way: nothing went wrong.
			logger.debug("[{}] Send to browser failed: {}", id(), failure.toString());
		}
		else {
			Failures.log(logger, id(), "Send to browser failed", failure);
		}
		this.link.fail(CloseCause.policy("Send failed: " + failure));
	}

	@Override
	public void closeNow(CloseCause cause) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		CloseStatus status = new CloseStatus(cause.code(), cause.reason());
		// Sending a close frame can block while the browser's socket is full: never on an
		// I/O thread.
		this.closeExecutor.execute(() -> {
			try {
				this.browser.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("[{}] Closing the WebSocket failed: {}", id(), ex.toString());
			}
		});
	}

}
