package io.herald.push;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.herald.broker.BrokerClientFactory;
import io.herald.broker.BrokerEndpoint;
import io.herald.broker.BrokerProperties;
import io.herald.feed.FeedProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.mqtt.inbound.MqttPahoMessageDrivenChannelAdapter;
import org.springframework.integration.mqtt.support.DefaultPahoMessageConverter;
import org.springframework.integration.mqtt.support.MqttHeaders;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.MessagingException;

/**
 * The push feed: a shared MQTT subscription ({@code $share/<group>/<filter>}), so that of
 * several Herald instances behind one broker exactly one receives each message, and hands
 * it to the {@link PushDelivery} for every subscription whose filters match its topic.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "herald.push.enabled", matchIfMissing = true)
class PushFeedConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PushFeedConfiguration.class);

	/** QoS 1, as the feed: no message lost between broker and Herald. */
	static final int PUSH_QOS = 1;

	private static final Duration QUIESCENT_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration DISCONNECT_TIMEOUT = Duration.ofMillis(500);

	@Bean
	DirectChannel pushChannel() {
		return new DirectChannel();
	}

	@Bean
	DirectChannel pushErrors() {
		return new DirectChannel();
	}

	@Bean
	BrokerClientFactory pushClientFactory(BrokerEndpoint endpoint, BrokerProperties broker, FeedProperties feed) {
		return BrokerClientFactory.subscriber(endpoint, broker, feed.maxReconnectDelay(), "push");
	}

	@Bean
	MqttPahoMessageDrivenChannelAdapter pushInbound(BrokerClientFactory pushClientFactory, BrokerEndpoint endpoint,
			BrokerProperties broker, PushProperties push, FeedProperties feed) {
		List<String> topics = sharedTopics(push, feed);
		String clientId = "herald-push-" + UUID.randomUUID().toString().substring(0, 8);
		MqttPahoMessageDrivenChannelAdapter adapter = new MqttPahoMessageDrivenChannelAdapter(clientId,
				pushClientFactory, topics.toArray(String[]::new));
		adapter.setQos(PUSH_QOS);
		adapter.setCompletionTimeout(BrokerClientFactory.firstConnectWait(endpoint, broker).toMillis());
		adapter.setQuiescentTimeout(QUIESCENT_TIMEOUT.toMillis());
		adapter.setDisconnectCompletionTimeout(DISCONNECT_TIMEOUT.toMillis());
		DefaultPahoMessageConverter converter = new DefaultPahoMessageConverter();
		// Pushed as received: the payload's bytes, whatever they are.
		converter.setPayloadAsBytes(true);
		adapter.setConverter(converter);
		adapter.setOutputChannelName("pushChannel");
		adapter.setErrorChannelName("pushErrors");
		logger.info("Push feed subscribing to {} on {} as {}", topics, endpoint, clientId);
		return adapter;
	}

	@Bean
	IntegrationFlow pushFlow(PushSubscriptions subscriptions, PushFilterIndex index, PushDelivery delivery) {
		MessageHandler pusher = (message) -> {
			String topic = message.getHeaders().get(MqttHeaders.RECEIVED_TOPIC, String.class);
			byte[] payload = (byte[]) message.getPayload();
			refresh(subscriptions);
			for (PushSubscription subscription : index.match(topic)) {
				try {
					delivery.deliver(subscription, topic, payload);
				}
				catch (RuntimeException ex) {
					// One subscription's failure must not cost the others their push.
					logger.warn("Could not hand a message from {} to the sender for push subscription {}: {}", topic,
							subscription.id(), ex.toString());
				}
			}
		};
		return IntegrationFlow.from("pushChannel").handle(pusher, (endpoint) -> endpoint.id("pushDispatcher")).get();
	}

	@Bean
	IntegrationFlow pushErrorFlow() {
		return IntegrationFlow.from("pushErrors").handle(MessagingException.class, (failure, headers) -> {
			Object topic = (failure.getFailedMessage() != null)
					? failure.getFailedMessage().getHeaders().get(MqttHeaders.RECEIVED_TOPIC) : null;
			logger.warn("Push feed could not handle a message from {}: {}", topic,
					NestedExceptionUtils.getMostSpecificCause(failure).toString());
			return null;
		}, (endpoint) -> endpoint.id("pushErrorLogger")).get();
	}

	/** {@code herald.push.topics} (or the feed's), each as a shared subscription. */
	static List<String> sharedTopics(PushProperties push, FeedProperties feed) {
		List<String> filters = push.topics().isEmpty() ? feed.topics() : push.topics();
		return filters.stream().map((filter) -> "$share/" + push.shareGroup() + "/" + filter).toList();
	}

	private static void refresh(PushSubscriptions subscriptions) {
		try {
			subscriptions.refreshIfDue();
		}
		catch (DataAccessException ex) {
			// Pushed with what the index holds; the next message tries again.
			logger.warn("Could not check the database for push subscriptions changed elsewhere: {}",
					NestedExceptionUtils.getMostSpecificCause(ex).toString());
		}
	}

}
