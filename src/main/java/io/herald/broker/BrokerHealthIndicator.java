package io.herald.broker;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports the broker UP when it answers an MQTT CONNECT, DOWN with the reason otherwise.
 */
class BrokerHealthIndicator extends AbstractHealthIndicator {

	private final BrokerProbe probe;

	private final BrokerEndpoint endpoint;

	BrokerHealthIndicator(BrokerProbe probe, BrokerEndpoint endpoint) {
		super("Broker health check failed");
		this.probe = probe;
		this.endpoint = endpoint;
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
	}

	private static String describe(Throwable failure) {
		if (failure instanceof TimeoutException) {
			return "No CONNACK within the health timeout (herald.broker.health-timeout)";
		}
		String message = failure.getMessage();
		return failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
