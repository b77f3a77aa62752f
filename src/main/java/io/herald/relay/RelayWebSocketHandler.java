package io.herald.relay;

import java.util.concurrent.Executor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;

import io.herald.broker.BrokerConnector;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;

/**
 * The browser side of the relay: opens a broker connection for each WebSocket and passes binary
 * chunks through as they arrive; text messages are refused with 1003.
 */
class RelayWebSocketHandler extends BinaryWebSocketHandler {

	private static final String CONNECTION = RelayConnection.class.getName();

	private final BrokerConnector connector;

	private final RelayProperties properties;

	private final RelayRegistry registry;

	private final Executor closeExecutor;

	RelayWebSocketHandler(BrokerConnector connector, RelayProperties properties, RelayRegistry registry,
			Executor closeExecutor) {
		this.connector = connector;
		this.properties = properties;
		this.registry = registry;
		this.closeExecutor = closeExecutor;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		RelayConnection connection = new RelayConnection(session, this.properties.maxFrameSize().toBytes(),
				this.closeExecutor);
		session.getAttributes().put(CONNECTION, connection);
		if (!this.registry.add(connection)) {
			connection.goAway();
			return;
		}
		connection.awaitUpstream();
		int chunkSize = Math.toIntExact(this.properties.bufferSize().toBytes());
		this.connector.connect(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				// One chunk per read, and the next read only once the browser took the last one.
				channel.config().setAutoRead(false);
				channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(chunkSize).maxMessagesPerRead(1));
				channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
						new WriteBufferWaterMark(chunkSize * 2, chunkSize * 8));
				channel.pipeline().addLast(new UpstreamHandler(connection));
			}

		}).addListener((Future<Channel> future) -> {
			if (future.isSuccess()) {
				connection.upstreamConnected(future.getNow());
			}
			else {
				connection.upstreamFailed(future.cause());
			}
		});
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		connection(session).fromBrowser(message.getPayload(), message.isLast());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		RelayConnection connection = connection(session);
		if (connection != null) {
			connection.browserClosed(status);
			this.registry.remove(connection);
		}
	}

	private static RelayConnection connection(WebSocketSession session) {
		return (RelayConnection) session.getAttributes().get(CONNECTION);
	}

}
