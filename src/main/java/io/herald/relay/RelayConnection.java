package io.herald.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.apache.tomcat.websocket.WsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * One browser's relayed MQTT session: joins its WebSocket to its own TCP connection to the broker,
 * each direction reading only as fast as the other side writes, and decides how the session ends.
 */
final class RelayConnection implements RelayedBrowser, UpstreamEvents, BrowserBound.SendListener {

	private static final Logger logger = LoggerFactory.getLogger(RelayConnection.class);

	private final WebSocketSession browser;

	private final Executor closeExecutor;

	private final BrokerBound brokerBound;

	private final BrowserBound browserBound;

	/** Set once the browser side is closing or closed: nothing more is relayed either way. */
	private final AtomicBoolean closing = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile boolean disconnectSeen;

	RelayConnection(WebSocketSession browser, long maxMessageSize, Executor closeExecutor) {
		this.browser = browser;
		this.closeExecutor = closeExecutor;
		WsSession session = (WsSession) ((StandardWebSocketSession) browser).getNativeSession();
		this.brokerBound = new BrokerBound(session, new BrowserStream(new MqttFramer(this::onPacket), maxMessageSize));
		this.browserBound = new BrowserBound(session.getAsyncRemote(), new MqttFramer(this::onPacket), this);
	}

	@Override
	public String id() {
		return this.browser.getId();
	}

	@Override
	public boolean awaitingBrowser() {
		return this.browserBound.awaitingBrowser();
	}

	/** Stop reading from the browser until the broker connection is up. */
	void awaitUpstream() {
		this.brokerBound.suspendUntilConnected();
	}

	/** The broker connection is up (event loop). */
	void upstreamConnected(Channel channel) {
		if (this.closing.get()) {
			channel.close();
			return;
		}
		this.brokerBound.connected(channel);
		channel.read();
		logger.debug("[{}] Relaying to broker via {}", id(), channel.localAddress());
	}

	void upstreamFailed(Throwable cause) {
		logger.debug("[{}] Broker unreachable: {}", id(), cause.toString());
		closeBrowser(CloseStatus.SERVER_ERROR.withReason(CloseReasons.fit("Broker unreachable: " + cause.getMessage())));
	}

	/** A chunk of a binary message from the browser (Tomcat thread). */
	void fromBrowser(ByteBuffer chunk, boolean last) {
		if (this.closing.get()) {
			return;
		}
		try {
			this.brokerBound.write(chunk, last);
		}
		catch (BrowserStream.MessageTooLargeException ex) {
			logger.debug("[{}] {}", id(), ex.getMessage());
			closeBoth(CloseStatus.TOO_BIG_TO_PROCESS.withReason(CloseReasons.fit(ex.getMessage())));
		}
		catch (MqttFramer.MalformedPacketException ex) {
			logger.debug("[{}] Malformed MQTT from browser: {}", id(), ex.getMessage());
			closeBoth(CloseStatus.PROTOCOL_ERROR.withReason(CloseReasons.fit("Malformed MQTT: " + ex.getMessage())));
		}
	}

	@Override
	public void upstreamWritabilityChanged(boolean writable) {
		if (writable) {
			this.brokerBound.writable();
		}
	}

	@Override
	public void fromBroker(ByteBuf data) {
		if (this.closing.get()) {
			data.release();
			return;
		}
		try {
			this.browserBound.send(data);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			logger.warn("[{}] Malformed MQTT from broker: {}", id(), ex.getMessage());
			closeBoth(CloseStatus.SERVER_ERROR.withReason(CloseReasons.fit("Malformed MQTT from broker: " + ex.getMessage())));
		}
	}

	@Override
	public void sent() {
		Channel channel = this.brokerBound.upstream();
		if (channel != null && !this.closing.get()) {
			channel.read();
		}
	}

	@Override
	public void closeAfterSend(CloseStatus status) {
		closeNow(status);
	}

	@Override
	public void sendFailed(Throwable failure) {
		logger.debug("[{}] Send to browser failed: {}", id(), failure.toString());
		closeBoth(CloseStatus.POLICY_VIOLATION.withReason(CloseReasons.fit("Send failed: " + failure)));
	}

	@Override
	public void goAway() {
		closeBrowser(CloseStatus.GOING_AWAY.withReason("Herald is shutting down"));
	}

	@Override
	public void upstreamClosed(Throwable failure) {
		if (failure != null) {
			closeBrowser(CloseStatus.SERVER_ERROR
				.withReason(CloseReasons.fit("Broker connection failed: " + failure.getMessage())));
		}
		else if (this.disconnectSeen) {
			closeBrowser(CloseStatus.NORMAL);
		}
		else {
			closeBrowser(CloseStatus.SERVER_ERROR.withReason("Broker closed the connection"));
		}
	}

	/** The browser's WebSocket closed, for whatever reason: flush and close the broker side. */
	void browserClosed(CloseStatus status) {
		this.closing.set(true);
		this.closed.set(true);
		this.brokerBound.close();
		logger.debug("[{}] Browser closed: {}", id(), status);
	}

	/** Close the browser once the chunk being sent, if any, has been handed over. */
	private void closeBrowser(CloseStatus status) {
		this.closing.set(true);
		if (!this.browserBound.deferClose(status)) {
			closeNow(status);
		}
	}

	/** The browser or the broker broke the protocol: close both sides now. */
	private void closeBoth(CloseStatus status) {
		this.closing.set(true);
		closeNow(status);
		Channel channel = this.brokerBound.upstream();
		if (channel != null) {
			channel.close();
		}
	}

	private void closeNow(CloseStatus status) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		// Sending a close frame can block while the browser's socket is full: never on an I/O thread.
		this.closeExecutor.execute(() -> {
			try {
				this.browser.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("[{}] Closing the WebSocket failed: {}", id(), ex.toString());
			}
		});
	}

	/** Either side sent DISCONNECT: the broker closing the connection next is normal. */
	private void onPacket(int type, int remainingLength) {
		if (type == MqttFramer.DISCONNECT) {
			this.disconnectSeen = true;
		}
	}

}
