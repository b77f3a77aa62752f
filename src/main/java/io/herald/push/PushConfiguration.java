package io.herald.push;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Web Push's server side: the VAPID key pair, the stored subscriptions and their
 * in-memory filter index, loaded from the database at start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "herald.push.enabled", matchIfMissing = true)
class PushConfiguration {

	@Bean
	PushTableNames pushTableNames() {
		return new PushTableNames();
	}

	@Bean
	VapidKeys vapidKeys(PushProperties properties) {
		return VapidKeys.load(properties.vapid());
	}

	@Bean
	PushFilterIndex pushFilterIndex() {
		return new PushFilterIndex();
	}

	@Bean(initMethod = "load")
	PushSubscriptions pushSubscriptions(SubscriptionRepository repository, JdbcClient jdbc,
			PlatformTransactionManager transactionManager, PushFilterIndex index, PushProperties properties) {
		return new PushSubscriptions(repository, jdbc, new TransactionTemplate(transactionManager), index, properties,
				Clock.systemUTC());
	}

}
