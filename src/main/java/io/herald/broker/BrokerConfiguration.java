package io.herald.broker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the embedded broker when asked to, and resolves where every connection to the
 * broker goes.
 */
@Configuration(proxyBeanMethods = false)
class BrokerConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(BrokerConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "herald.broker.embedded", havingValue = "true", matchIfMissing = true)
	EmbeddedBroker embeddedBroker(BrokerProperties properties) {
		return EmbeddedBroker.start(properties.embeddedAddress(), properties.embeddedPort());
	}

	@Bean
	BrokerEndpoint brokerEndpoint(BrokerProperties properties, ObjectProvider<EmbeddedBroker> embeddedBroker) {
		EmbeddedBroker embedded = embeddedBroker.getIfAvailable();
		URI uri = properties.url();
		if (uri == null) {
			if (embedded == null) {
				throw new IllegalStateException(
						"herald.broker.url must name the broker when herald.broker.embedded is false");
			}
			uri = embedded.uri();
		}
		List<URI> uris = new ArrayList<>();
		uris.add(uri);
		uris.addAll(properties.failoverUrls());
		BrokerEndpoint endpoint = new BrokerEndpoint(uris);
		logger.info("Relaying to MQTT broker at {}", endpoint);
		return endpoint;
	}

	@Bean
	BrokerConnector brokerConnector(BrokerEndpoint endpoint, BrokerProperties properties) {
		return new BrokerConnector(endpoint, properties.connectTimeout(), properties.ioThreads());
	}

	@Bean
	BrokerHealthIndicator brokerHealthIndicator(BrokerConnector connector, BrokerProperties properties) {
		return new BrokerHealthIndicator(new BrokerProbe(connector, properties.healthTimeout()), connector.endpoint());
	}

}
