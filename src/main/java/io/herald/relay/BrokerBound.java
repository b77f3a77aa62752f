package io.herald.relay;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.apache.tomcat.websocket.WsSession;

/**
 * The browser-to-broker half of a relayed connection: writes each WebSocket chunk to the broker
 * channel, and suspends reading from the browser while that channel is above its high-water mark
 * (or not connected yet).
 */
final class BrokerBound {

	private final WsSession browser;

	private final BrowserStream stream;

	/** Guards {@link #upstream}, {@link #pending} and {@link #suspended}. */
	private final Object lock = new Object();

	private Channel upstream;

	private ByteBuf pending;

	private boolean suspended;

	BrokerBound(WsSession browser, BrowserStream stream) {
		this.browser = browser;
		this.stream = stream;
	}

	/** Stop reading from the browser until {@link #connected(Channel)}. */
	void suspendUntilConnected() {
		synchronized (this.lock) {
			this.browser.suspend();
			this.suspended = true;
		}
	}

	/** The broker connection is up: flush what arrived meanwhile and resume reading (event loop). */
	void connected(Channel channel) {
		synchronized (this.lock) {
			this.upstream = channel;
			if (this.pending != null) {
				// Written under the lock, so no later chunk can overtake it.
				channel.writeAndFlush(this.pending).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
				this.pending = null;
			}
			resumeIfWritable();
		}
	}

	/**
	 * Relay one chunk of a binary message (Tomcat thread).
	 * @throws BrowserStream.MessageTooLargeException if the message grew past the maximum size
	 * @throws MqttFramer.MalformedPacketException if the bytes are not MQTT
	 */
	void write(ByteBuffer chunk, boolean last) {
		this.stream.check(chunk, last);
		Channel channel;
		synchronized (this.lock) {
			channel = this.upstream;
			if (channel == null) {
				if (this.pending == null) {
					this.pending = Unpooled.buffer(chunk.remaining());
				}
				this.pending.writeBytes(chunk);
				return;
			}
		}
		ByteBuf data = channel.alloc().ioBuffer(chunk.remaining()).writeBytes(chunk);
		channel.writeAndFlush(data).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
		if (!channel.isWritable()) {
			synchronized (this.lock) {
				if (!channel.isWritable() && !this.suspended && channel.isActive()) {
					this.browser.suspend();
					this.suspended = true;
				}
			}
		}
	}

	/** The broker channel drained below its low-water mark (event loop). */
	void writable() {
		synchronized (this.lock) {
			resumeIfWritable();
		}
	}

	/** The channel to the broker, once connected. */
	Channel upstream() {
		synchronized (this.lock) {
			return this.upstream;
		}
	}

	/** Flush and close the broker connection, dropping anything not yet connected. */
	void close() {
		Channel channel;
		synchronized (this.lock) {
			channel = this.upstream;
			if (this.pending != null) {
				this.pending.release();
				this.pending = null;
			}
		}
		if (channel != null && channel.isOpen()) {
			channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
	}

	private void resumeIfWritable() {
		if (this.suspended && this.upstream != null && this.upstream.isWritable()) {
			this.suspended = false;
			this.browser.resume();
		}
	}

}
