package io.herald.feed;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.herald.broker.BrokerClientFactory;
import io.herald.broker.BrokerEndpoint;
import io.herald.broker.BrokerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.MessagingException;

/**
 * The feed: a Spring Integration flow from an MQTT subscription on the broker into the
 * in-memory {@link NewsHistory}.
 */
@Configuration(proxyBeanMethods = false)
class FeedConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(FeedConfiguration.class);

	/**
	 * The feed subscribes at QoS 1 so that no message is lost between broker and Herald.
	 */
	static final int FEED_QOS = 1;

	private static final Duration QUIESCENT_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Paho 1.2.x waits out the whole disconnect timeout after unsubscribing, even though
	 * its DISCONNECT went out at once (eclipse-paho/paho.mqtt.java#644): this is what
	 * stopping the feed costs, so it is short.
	 */
	private static final Duration DISCONNECT_TIMEOUT = Duration.ofMillis(500);

	@Bean
	NewsHistory newsHistory(FeedProperties properties) {
		return new NewsHistory(properties.historySize(), properties.historyBytes().toBytes(), Clock.systemUTC());
	}

	@Bean
	NewsStreams newsStreams(NewsHistory history, FeedProperties properties, JsonMapper json, MeterRegistry meters) {
		return new NewsStreams(history, properties, json, meters);
	}

	@Bean
	DirectChannel feedChannel() {
		return new DirectChannel();
	}

	@Bean
	DirectChannel feedErrors() {
		return new DirectChannel();
	}

	@Bean
	BrokerClientFactory feedClientFactory(BrokerEndpoint endpoint, BrokerProperties broker, FeedProperties properties) {
		return BrokerClientFactory.subscriber(endpoint, broker, properties.maxReconnectDelay(), "feed");
	}

	@Bean
	MqttPahoMessageDrivenChannelAdapter feedInbound(BrokerClientFactory feedClientFactory, BrokerEndpoint endpoint,
			BrokerProperties broker, FeedProperties properties) {
		// A client id of its own per process, so that two Herald instances do not take
		// over each other's session.
		String clientId = "herald-feed-" + UUID.randomUUID().toString().substring(0, 8);
		MqttPahoMessageDrivenChannelAdapter adapter = new MqttPahoMessageDrivenChannelAdapter(clientId,
				feedClientFactory, properties.topics().toArray(String[]::new));
		adapter.setQos(FEED_QOS);
		adapter.setCompletionTimeout(BrokerClientFactory.firstConnectWait(endpoint, broker).toMillis());
		// Handling a message is quick, and a broker that is down must not hold up
		// shutdown for
		// Paho's default 30 s.
		adapter.setQuiescentTimeout(QUIESCENT_TIMEOUT.toMillis());
		adapter.setDisconnectCompletionTimeout(DISCONNECT_TIMEOUT.toMillis());
		adapter.setOutputChannelName("feedChannel");
		adapter.setErrorChannelName("feedErrors");
		logger.info("Feed subscribing to {} on {} as {}", properties.topics(), endpoint, clientId);
		return adapter;
	}

	@Bean
	IntegrationFlow feedFlow(NewsHistory history, MeterRegistry meters) {
		Counter received = Counter.builder("herald.feed.messages")
			.description("Messages the feed received from the broker")
			.register(meters);
		// A one-way handler: a reply-producing one logs "produced no reply" for every
		// message, and
		// commons-logging's SLF4J bridge formats debug messages before checking the
		// level.
		MessageHandler writer = (message) -> {
			received.increment();
			MessageHeaders headers = message.getHeaders();
			// Paho's default converter delivers payloads as UTF-8 text.
			history.add(headers.get(MqttHeaders.RECEIVED_TOPIC, String.class), (String) message.getPayload(),
					qos(headers), Boolean.TRUE.equals(headers.get(MqttHeaders.RECEIVED_RETAINED, Boolean.class)));
		};
		return IntegrationFlow.from("feedChannel").handle(writer, (endpoint) -> endpoint.id("feedHistoryWriter")).get();
	}

	@Bean
	IntegrationFlow feedErrorFlow() {
		return IntegrationFlow.from("feedErrors").handle(MessagingException.class, (failure, headers) -> {
			// The failed message carries the payload, which is never logged: only where
			// it came from.
			Object topic = (failure.getFailedMessage() != null)
					? failure.getFailedMessage().getHeaders().get(MqttHeaders.RECEIVED_TOPIC) : null;
			logger.warn("Feed could not keep a message from {}: {}", topic,
					NestedExceptionUtils.getMostSpecificCause(failure).toString());
			return null;
		}, (endpoint) -> endpoint.id("feedErrorLogger")).get();
	}

	private static int qos(MessageHeaders headers) {
		Integer qos = headers.get(MqttHeaders.RECEIVED_QOS, Integer.class);
		return (qos != null) ? qos : FEED_QOS;
	}

}
