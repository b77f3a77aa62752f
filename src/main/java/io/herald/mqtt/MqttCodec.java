package io.herald.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Decodes whole MQTT packets into netty-codec-mqtt's messages, and encodes messages into
 * packets, for the few packets Herald must read or rebuild; everything else it relays
 * stays bytes. One codec per thread, so the event loops share nothing.
 */
public final class MqttCodec {

	/** Where netty-codec-mqtt keeps a connection's protocol version. */
	private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

	private static final int MAX_CLIENT_ID_LENGTH = 65_535;

	private static final FastThreadLocal<MqttCodec> CODECS = new FastThreadLocal<>() {

		@Override
		protected MqttCodec initialValue() {
			return new MqttCodec();
		}

	};

	private EmbeddedChannel channel = newChannel();

	private MqttCodec() {
	}

	/**
	 * Decode one complete packet of a connection speaking {@code version} (ignored for
	 * CONNECT, which says its own). The packet's bytes are consumed and released.
	 * @return the message; a malformed packet gives a message whose decoder result is a
	 * failure, one whose fields run past its end included
	 */
	public static MqttMessage decode(ByteBuf packet, MqttVersion version) {
		return CODECS.get().decodeOne(packet, version);
	}

	/** Encode {@code message} for a connection speaking {@code version}. */
	public static ByteBuf encode(MqttMessage message, MqttVersion version) {
		return CODECS.get().encodeOne(message, version);
	}

	private MqttMessage decodeOne(ByteBuf packet, MqttVersion version) {
		this.channel.attr(VERSION).set(version);
		this.channel.writeInbound(packet);
		MqttMessage message = this.channel.readInbound();
		if (message == null || message.decoderResult().isFailure()) {
			// The decoder discards everything after a bad packet: start the next one
			// afresh.
			this.channel.finishAndReleaseAll();
			this.channel = newChannel();
		}
		if (message == null) {
			// The decoder replays a packet until all its fields are there: a whole one
			// whose field
			// lengths run past its end would wait for bytes that belong to the next
			// packet.
			return MqttMessageFactory
				.newInvalidMessage(new DecoderException("a field runs past the end of the packet"));
		}
		return message;
	}

	private ByteBuf encodeOne(MqttMessage message, MqttVersion version) {
		this.channel.attr(VERSION).set(version);
		this.channel.writeOutbound(message);
		return this.channel.readOutbound();
	}

	private static EmbeddedChannel newChannel() {
		return new EmbeddedChannel(new MqttDecoder(Integer.MAX_VALUE, MAX_CLIENT_ID_LENGTH), MqttEncoder.INSTANCE);
	}

}
