package io.herald.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.herald.broker.BrokerClientFactory;
import io.herald.broker.BrokerEndpoint;
import io.herald.broker.BrokerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.integration.MessageRejectedException;
import org.springframework.integration.annotation.IntegrationComponentScan;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.mqtt.outbound.MqttPahoMessageHandler;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.MessagingException;

/**
 * The publish flow: {@link NewsGateway} into a deadline check and the Paho outbound
 * adapter, with failures translated on an error channel.
 */
@Configuration(proxyBeanMethods = false)
@IntegrationComponentScan
class PublishConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PublishConfiguration.class);

	/**
	 * Messages published at once; each thread waits for its acknowledgement, so this is
	 * also the most messages in flight on the publishing connection.
	 */
	static final int PUBLISHING_THREADS = 8;

	/**
	 * Messages waiting for a publishing thread before requests are turned away with 503.
	 */
	static final int QUEUE_CAPACITY = 2_000;

	@Bean
	NewsPublisher newsPublisher(NewsGateway newsGateway, PublishProperties properties, MeterRegistry meters) {
		return new NewsPublisher(newsGateway, properties.timeout(), Clock.systemUTC(), PUBLISHING_THREADS,
				QUEUE_CAPACITY, meters);
	}

	@Bean
	DirectChannel newsPublishChannel() {
		return new DirectChannel();
	}

	@Bean
	DirectChannel newsPublishErrors() {
		return new DirectChannel();
	}

	@Bean
	BrokerClientFactory publishClientFactory(BrokerEndpoint endpoint, BrokerProperties broker,
			PublishProperties properties) {
		return new BrokerClientFactory(connectOptions(endpoint, properties.timeout()), broker.connackTimeout(),
				"publish");
	}

	@Bean
	IntegrationFlow newsPublishFlow(BrokerClientFactory publishClientFactory, PublishProperties properties) {
		return IntegrationFlow.from("newsPublishChannel")
			// A message whose caller already gave up must not reach the broker late.
			.filter(Message.class, PublishConfiguration::beforeDeadline,
					(filter) -> filter.id("newsDeadlineCheck").throwExceptionOnRejection(true))
			.handle(outboundAdapter(publishClientFactory, properties.timeout()),
					(handler) -> handler.id("newsOutbound"))
			.get();
	}

	@Bean
	IntegrationFlow newsPublishErrorFlow() {
		return IntegrationFlow.from("newsPublishErrors").handle(MessagingException.class, (failure, headers) -> {
			throw translate(failure);
		}, (handler) -> handler.id("newsPublishFailureTranslator")).get();
	}

	private static boolean beforeDeadline(Message<?> message) {
		Long deadline = message.getHeaders().get(NewsGateway.DEADLINE, Long.class);
		return deadline == null || System.currentTimeMillis() < deadline;
	}

	private static NewsNotPublishedException translate(MessagingException failure) {
		Message<?> failed = failure.getFailedMessage();
		MessageHeaders headers = (failed != null) ? failed.getHeaders() : new MessageHeaders(null);
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		String reason = (failure instanceof MessageRejectedException)
				? "its deadline passed before a publishing thread was free (herald.publish.timeout)"
				: cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
		// Topic and id only: a payload is never logged.
		logger.warn("News {} to {} not published: {}", headers.get(NewsGateway.ID), headers.get(MqttHeaders.TOPIC),
				reason);
		return new NewsNotPublishedException("The broker did not accept the message: " + reason, failure);
	}

	private static MqttConnectOptions connectOptions(BrokerEndpoint endpoint, Duration timeout) {
		MqttConnectOptions options = new MqttConnectOptions();
		options.setServerURIs(endpoint.serverUris());
		options.setCleanSession(true);
		// MQTT 3.1.1 only: Paho's default would retry each failed attempt as 3.1.
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		// Reconnection is on demand: the next message after an outage connects again.
		options.setAutomaticReconnect(false);
		// Paho counts whole seconds, and 0 would mean waiting forever.
		options.setConnectionTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
		options.setMaxInflight(PUBLISHING_THREADS);
		return options;
	}

	private static MqttPahoMessageHandler outboundAdapter(BrokerClientFactory clientFactory, Duration timeout) {
		String clientId = "herald-publish-" + UUID.randomUUID().toString().substring(0, 8);
		MqttPahoMessageHandler handler = new MqttPahoMessageHandler(clientId, clientFactory);
		handler.setAsync(false);
		handler.setCompletionTimeout(timeout.toMillis());
		handler.setDisconnectCompletionTimeout(timeout.toMillis());
		return handler;
	}

}
