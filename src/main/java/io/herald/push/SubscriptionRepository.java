package io.herald.push;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.ListCrudRepository;

/** The stored push subscriptions. */
interface SubscriptionRepository extends ListCrudRepository<SubscriptionRow, UUID> {

	Optional<SubscriptionRow> findByEndpoint(String endpoint);

	long countBySubject(String subject);

}
