package io.herald.push;

import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.herald.push.send.PushMessage;
import io.herald.push.send.PushSender;
import io.herald.push.send.PushSenderSettings;
import io.herald.push.send.PushTarget;
import io.herald.push.send.VapidSigner;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sending: what the push feed matched goes to the subscription's push service, encrypted
 * for its browser and signed with Herald's VAPID key, on the bounded sender; a
 * subscription its push service says is gone is deleted.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "herald.push.enabled", matchIfMissing = true)
class PushSendingConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PushSendingConfiguration.class);

	@Bean
	VapidSigner vapidSigner(VapidKeys keys) {
		return new VapidSigner(keys.publicKey(), keys.privateKey(), keys.subject(), Clock.systemUTC());
	}

	@Bean(destroyMethod = "close")
	PushSender pushSender(PushProperties properties, VapidSigner vapid, PushSubscriptions subscriptions,
			MeterRegistry meters) {
		PushSenderSettings settings = new PushSenderSettings(properties.ttl(), properties.urgency(),
				properties.concurrency(), properties.queue(), properties.maxAttempts(), properties.initialBackoff(),
				properties.maxBackoff(), properties.requestTimeout());
		return new PushSender(settings, vapid, (gone) -> subscriptions.gone(UUID.fromString(gone.id())),
				JsonMapper.builder().build(), meters);
	}

	@Bean
	PushDelivery webPushDelivery(PushSender sender, PushProperties properties) {
		List<EndpointPattern> allowed = properties.allowedEndpoints().stream().map(EndpointPattern::of).toList();
		Base64.Decoder base64 = Base64.getUrlDecoder();
		return (subscription, topic, payload) -> {
			// Checked again at sending: the allow-list may have narrowed since the
			// subscription was registered, and what it no longer allows is never fetched.
			if (allowed.stream().noneMatch((pattern) -> pattern.matches(subscription.endpoint()))) {
				logger.debug("Push subscription {} is outside herald.push.allowed-endpoints: not sent",
						subscription.id());
				return;
			}
			PushTarget target = new PushTarget(subscription.id().toString(), URI.create(subscription.endpoint()),
					base64.decode(subscription.p256dh()), base64.decode(subscription.auth()));
			sender.offer(target, new PushMessage(topic, payload));
		};
	}

}
