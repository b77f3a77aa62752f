package io.herald.publish;

import java.util.concurrent.CompletableFuture;

import org.springframework.integration.annotation.MessagingGateway;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * The entry to the publish flow: each call publishes one message on a publishing thread and
 * completes once the broker acknowledged it, or exceptionally with a
 * {@link NewsNotPublishedException}.
 */
@MessagingGateway(name = "newsGateway", defaultRequestChannel = "newsPublishChannel",
		errorChannel = "newsPublishErrors", asyncExecutor = "newsPublishExecutor")
interface NewsGateway {

	/** Header with the epoch millisecond after which the message must no longer be sent. */
	String DEADLINE = "herald_deadline";

	/** Header with the id Herald gave the message. */
	String ID = "herald_newsId";

	CompletableFuture<Void> publish(@Payload byte[] payload, @Header(MqttHeaders.TOPIC) String topic,
			@Header(MqttHeaders.QOS) int qos, @Header(MqttHeaders.RETAINED) boolean retain,
			@Header(ID) String id, @Header(DEADLINE) long deadline);

}
