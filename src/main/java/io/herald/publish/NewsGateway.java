package io.herald.publish;

import org.springframework.integration.annotation.MessagingGateway;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * The entry to the publish flow: each call publishes one message and returns once the
 * broker acknowledged it, or throws a {@link NewsNotPublishedException}.
 */
@MessagingGateway(name = "newsGateway", defaultRequestChannel = "newsPublishChannel",
		errorChannel = "newsPublishErrors")
interface NewsGateway {

	/**
	 * Header with the epoch millisecond after which the message must no longer be sent.
	 */
	String DEADLINE = "herald_deadline";

	/** Header with the id Herald gave the message. */
	String ID = "herald_newsId";

	void publish(@Payload byte[] payload, @Header(MqttHeaders.TOPIC) String topic, @Header(MqttHeaders.QOS) int qos,
			@Header(MqttHeaders.RETAINED) boolean retain, @Header(ID) String id, @Header(DEADLINE) long deadline);

}
