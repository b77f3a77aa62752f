package io.herald.bench;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Carries MQTT bytes in binary WebSocket frames, as browsers do: unwraps incoming binary and
 * continuation frames (an MQTT packet may span frames, the decoder reassembles it) and wraps
 * each outgoing buffer in one binary frame.
 */
@Sharable
final class WebSocketBytes extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

	static final WebSocketBytes INSTANCE = new WebSocketBytes();

	private WebSocketBytes() {
	}

	@Override
	protected void encode(ChannelHandlerContext context, ByteBuf bytes, List<Object> out) {
		out.add(new BinaryWebSocketFrame(bytes.retain()));
	}

	@Override
	protected void decode(ChannelHandlerContext context, WebSocketFrame frame, List<Object> out) {
		if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
			out.add(frame.content().retain());
		}
		else {
			throw new CorruptedFrameException("Unexpected " + frame.getClass().getSimpleName() + " for MQTT");
		}
	}

}
