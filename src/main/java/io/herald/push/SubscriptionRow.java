package io.herald.push;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;

/**
 * A push subscription as stored: the aggregate of {@code push_subscription} and its
 * {@code push_filter} rows (named by {@link PushTableNames}).
 *
 * @param id the subscription's id
 * @param subject the identity that registered it
 * @param endpoint the push service URL
 * @param p256dh the browser's public key
 * @param auth the browser's authentication secret
 * @param filters its topic filters
 * @param createdAt when it was first registered
 * @param updatedAt when it was last registered
 * @param version the optimistic lock, {@code null} until first saved
 */
record SubscriptionRow(@Id UUID id, String subject, String endpoint, String p256dh, String auth,
		@MappedCollection Set<FilterRow> filters, Instant createdAt, Instant updatedAt,
		@Version @Nullable Long version) {

	PushSubscription toSubscription() {
		return new PushSubscription(this.id, this.subject, this.endpoint, this.p256dh, this.auth,
				this.filters.stream().map(FilterRow::topicFilter).sorted().toList());
	}

	/**
	 * One topic filter of a subscription.
	 *
	 * @param topicFilter the MQTT topic filter
	 */
	record FilterRow(String topicFilter) {

	}

}
