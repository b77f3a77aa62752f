package io.herald.push;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The subscription store against a real database, as two Herald instances share it: each
 * a context of its own with the store, its index and Flyway's migration, on the database
 * the subclass provides.
 */
abstract class SubscriptionStoreContract {

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	/** Start both instances on the database at {@code url}. */
	static void startInstances(String url, String username) {
		first = instance(url, username);
		second = instance(url, username);
	}

	@AfterAll
	static void stopInstances() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { first, second }) {
			if (context != null) {
				context.close();
			}
		}
		first = null;
		second = null;
	}

	@Test
	void registrationIsStoredAndLoadedByAnInstanceStartingLater() {
		PushSubscription stored = store(first)
			.register("alice", BrowserKeys.endpoint(), BrowserKeys.p256dh(), BrowserKeys.auth(),
					List.of("/news/+/sport", "/news/europe/#"))
			.subscription();

		PushFilterIndex fresh = new PushFilterIndex();
		PushSubscriptions later = new PushSubscriptions(first.getBean(SubscriptionRepository.class),
				first.getBean(org.springframework.jdbc.core.simple.JdbcClient.class),
				new org.springframework.transaction.support.TransactionTemplate(
						first.getBean(org.springframework.transaction.PlatformTransactionManager.class)),
				fresh, first.getBean(PushProperties.class), java.time.Clock.systemUTC());
		later.load();

		assertThat(fresh.match("/news/europe/weather")).contains(stored);
		assertThat(fresh.match("/news/asia/sport")).contains(stored);
		assertThat(stored.filters()).containsExactly("/news/+/sport", "/news/europe/#");
	}

	@Test
	void sameEndpointIsUpdatedInPlace() {
		String endpoint = BrowserKeys.endpoint();
		PushSubscriptions.Registered created = store(first).register("bob", endpoint, BrowserKeys.p256dh(),
				BrowserKeys.auth(), List.of("/a"));
		String p256dh = BrowserKeys.p256dh();

		PushSubscriptions.Registered updated = store(first).register("bob", endpoint, p256dh, BrowserKeys.auth(),
				List.of("/b", "/c"));

		assertThat(created.created()).isTrue();
		assertThat(updated.created()).isFalse();
		assertThat(updated.subscription().id()).isEqualTo(created.subscription().id());
		assertThat(updated.subscription().p256dh()).isEqualTo(p256dh);
		assertThat(ids(index(first).match("/a"))).doesNotContain(created.subscription().id());
		assertThat(ids(index(first).match("/c"))).contains(created.subscription().id());
		assertThat(store(first).count("bob")).isEqualTo(1);
	}

	@Test
	void identityHoldsAtMostItsMaximum() {
		for (int i = 0; i < 3; i++) {
			store(first).register("carol", BrowserKeys.endpoint(), BrowserKeys.p256dh(), BrowserKeys.auth(),
					List.of("/x"));
		}

		assertThatExceptionOfType(PushSubscriptions.TooManySubscriptionsException.class).isThrownBy(() -> store(second)
			.register("carol", BrowserKeys.endpoint(), BrowserKeys.p256dh(), BrowserKeys.auth(), List.of("/x")));
		assertThat(store(first).count("carol")).isEqualTo(3);
	}

	@Test
	void changesOnOneInstanceReachTheOthersIndex() {
		UUID id = store(first)
			.register("dave", BrowserKeys.endpoint(), BrowserKeys.p256dh(), BrowserKeys.auth(), List.of("/shared/one"))
			.subscription()
			.id();
		store(second).refreshIfDue();
		assertThat(ids(index(second).match("/shared/one"))).contains(id);

		String endpoint = store(first)
			.register("dave", index(first).match("/shared/one").get(0).endpoint(), BrowserKeys.p256dh(),
					BrowserKeys.auth(), List.of("/shared/two"))
			.subscription()
			.endpoint();
		store(second).refreshIfDue();
		assertThat(ids(index(second).match("/shared/one"))).doesNotContain(id);
		assertThat(index(second).match("/shared/two")).extracting(PushSubscription::endpoint).contains(endpoint);

		store(second).gone(id);
		store(first).refreshIfDue();
		assertThat(ids(index(first).match("/shared/two"))).doesNotContain(id);
		assertThat(store(first).count("dave")).isZero();
	}

	@Test
	void onlyTheOwnerDeletes() {
		UUID id = store(first)
			.register("erin", BrowserKeys.endpoint(), BrowserKeys.p256dh(), BrowserKeys.auth(), List.of("/owned"))
			.subscription()
			.id();

		assertThat(store(second).delete("mallory", id)).isFalse();
		assertThat(ids(index(first).match("/owned"))).contains(id);
		assertThat(store(second).delete("erin", id)).isTrue();
		store(first).refreshIfDue();
		assertThat(ids(index(first).match("/owned"))).doesNotContain(id);
		assertThat(store(first).delete("erin", id)).isFalse();
	}

	private static PushSubscriptions store(ConfigurableApplicationContext context) {
		return context.getBean(PushSubscriptions.class);
	}

	private static PushFilterIndex index(ConfigurableApplicationContext context) {
		return context.getBean(PushFilterIndex.class);
	}

	private static List<UUID> ids(List<PushSubscription> subscriptions) {
		return subscriptions.stream().map(PushSubscription::id).toList();
	}

	private static ConfigurableApplicationContext instance(String url, String username) {
		return new SpringApplicationBuilder(StoreOnly.class).web(WebApplicationType.NONE)
			.run("--spring.datasource.url=" + url, "--spring.datasource.username=" + username,
					"--herald.push.vapid.key-file=target/push/vapid-keys",
					"--herald.tls.self-signed-directory=target/tls", "--herald.push.index-refresh=0s",
					"--herald.push.max-subscriptions-per-identity=3", "--spring.main.banner-mode=off",
					// The readiness group names the broker, which this context leaves
					// out.
					"--management.endpoint.health.validate-group-membership=false");
	}

	/**
	 * The store, its index and the database, without the rest of Herald. Not a
	 * configuration class, so that no component scan picks it up.
	 */
	@EnableAutoConfiguration
	@EnableConfigurationProperties(PushProperties.class)
	@Import(PushConfiguration.class)
	static class StoreOnly {

	}

}
