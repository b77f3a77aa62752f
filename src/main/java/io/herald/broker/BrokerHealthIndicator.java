package io.herald.broker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.event.EventListener;
import org.springframework.integration.mqtt.event.MqttConnectionFailedEvent;
import org.springframework.integration.mqtt.event.MqttSubscribedEvent;
import org.springframework.integration.mqtt.inbound.AbstractMqttMessageDrivenChannelAdapter;

/**
 * Reports the broker UP when it answers an MQTT CONNECT and every server-side subscriber
 * (such as the feed) holds its subscription, DOWN with the reason otherwise.
 *
 * <p>
 * Subscribers are not polled: their state follows Spring Integration's MQTT connection
 * events.
 */
class BrokerHealthIndicator extends AbstractHealthIndicator {

	private static final String SUBSCRIBED = "subscribed";

	private final BrokerProbe probe;

	private final BrokerEndpoint endpoint;

	/**
	 * Subscriber bean name to {@value #SUBSCRIBED} or the reason it lost its connection.
	 */
	private final Map<String, String> subscribers = new ConcurrentHashMap<>();

	BrokerHealthIndicator(BrokerProbe probe, BrokerEndpoint endpoint) {
		super("Broker health check failed");
		this.probe = probe;
		this.endpoint = endpoint;
	}

	@EventListener
	void subscribed(MqttSubscribedEvent event) {
		if (event.getSource() instanceof AbstractMqttMessageDrivenChannelAdapter<?, ?> adapter) {
			this.subscribers.put(adapter.getBeanName(), SUBSCRIBED);
		}
	}

	@EventListener
	void connectionFailed(MqttConnectionFailedEvent event) {
		// Outbound handlers connect on demand and report their own failures to their
		// callers.
		if (event.getSource() instanceof AbstractMqttMessageDrivenChannelAdapter<?, ?> adapter) {
			Throwable cause = event.getCause();
			this.subscribers.put(adapter.getBeanName(),
					"connection failed: " + ((cause != null) ? describe(cause) : "unknown reason"));
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("url", this.endpoint.toString());
		try {
			MqttConnectReturnCode code = this.probe.probe().join();
			// Any CONNACK proves the broker is up, even one refusing the anonymous probe.
			builder.up().withDetail("connack", code.name());
		}
		catch (CompletionException ex) {
			builder.down().withDetail("error", describe(ex.getCause()));
		}
		if (!this.subscribers.isEmpty()) {
			Map<String, String> states = new TreeMap<>(this.subscribers);
			builder.withDetail("subscribers", states);
			if (states.values().stream().anyMatch((state) -> !SUBSCRIBED.equals(state))) {
				builder.down();
			}
		}
	}

	private static String describe(Throwable failure) {
		// The probe's own deadline and its read timeout are the same time: either may
		// fire first.
		if (failure instanceof TimeoutException || failure instanceof ReadTimeoutException) {
			return "No CONNACK within the health timeout (herald.broker.health-timeout)";
		}
		String message = failure.getMessage();
		return failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
