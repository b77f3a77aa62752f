package io.herald.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The push subscriptions: registered, changed and deleted in the database, and mirrored
 * in the {@link PushFilterIndex}. Changes made by other Herald instances on the same
 * database reach the index when {@link #refreshIfDue()} finds the database's revision
 * moved: the subscriptions each change touched are read again (every one of them when
 * this instance fell more than {@value #KEPT_CHANGES} changes behind).
 */
public class PushSubscriptions {

	/** Changes kept in {@code push_change} for instances catching up. */
	static final int KEPT_CHANGES = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(PushSubscriptions.class);

	private final SubscriptionRepository repository;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final PushFilterIndex index;

	private final int maxPerIdentity;

	private final Duration refresh;

	private final Clock clock;

	private long revision = -1;

	private long lastCheck;

	PushSubscriptions(SubscriptionRepository repository, JdbcClient jdbc, TransactionTemplate transactions,
			PushFilterIndex index, PushProperties properties, Clock clock) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.index = index;
		this.maxPerIdentity = properties.maxSubscriptionsPerIdentity();
		this.refresh = properties.indexRefresh();
		this.clock = clock;
	}

	/**
	 * Register the browser's subscription for {@code subject}, or update the one with the
	 * same endpoint (its keys, filters and owner: whoever registers an endpoint last
	 * holds it).
	 * @throws TooManySubscriptionsException when {@code subject} holds its maximum
	 * already
	 */
	public Registered register(String subject, String endpoint, String p256dh, String auth, List<String> filters) {
		Registered registered;
		try {
			registered = this.transactions.execute((status) -> save(subject, endpoint, p256dh, auth, filters));
		}
		catch (DuplicateKeyException | DbActionExecutionException ex) {
			if (!isDuplicate(ex)) {
				throw ex;
			}
			// Registered at the same moment elsewhere: now it is an update.
			registered = this.transactions.execute((status) -> save(subject, endpoint, p256dh, auth, filters));
		}
		this.index.put(registered.subscription());
		return registered;
	}

	/**
	 * Delete the subscription {@code id} if {@code subject} registered it; whether it
	 * did.
	 */
	public boolean delete(String subject, UUID id) {
		Boolean deleted = this.transactions.execute((status) -> {
			Optional<SubscriptionRow> row = this.repository.findById(id);
			if (row.isEmpty() || !row.get().subject().equals(subject)) {
				return false;
			}
			this.repository.deleteById(id);
			recordChange(id);
			return true;
		});
		if (!Boolean.TRUE.equals(deleted)) {
			return false;
		}
		this.index.remove(id);
		return true;
	}

	/**
	 * Forget the subscription {@code id}: its push service said it is gone (404 or 410).
	 * Called by the sender.
	 */
	public void gone(UUID id) {
		this.transactions.executeWithoutResult((status) -> {
			if (this.repository.existsById(id)) {
				this.repository.deleteById(id);
				recordChange(id);
			}
		});
		this.index.remove(id);
		logger.info("Push subscription {} is gone at its push service: deleted", id);
	}

	/** The subscriptions {@code subject} holds. */
	public long count(String subject) {
		return this.repository.countBySubject(subject);
	}

	/** Read every subscription into the index. */
	public synchronized void load() {
		long current = currentRevision();
		Map<UUID, PushSubscription> all = new LinkedHashMap<>();
		Map<UUID, List<String>> filters = new LinkedHashMap<>();
		this.jdbc
			.sql("SELECT s.id, s.subject, s.endpoint, s.p256dh, s.auth, f.topic_filter FROM push_subscription s "
					+ "JOIN push_filter f ON f.subscription_id = s.id")
			.query((result) -> {
				UUID id = result.getObject(1, UUID.class);
				List<String> its = filters.computeIfAbsent(id, (key) -> new ArrayList<>());
				its.add(result.getString(6));
				if (its.size() == 1) {
					all.put(id, new PushSubscription(id, result.getString(2), result.getString(3), result.getString(4),
							result.getString(5), List.of()));
				}
			});
		List<PushSubscription> loaded = all.values()
			.stream()
			.map((each) -> new PushSubscription(each.id(), each.subject(), each.endpoint(), each.p256dh(), each.auth(),
					filters.get(each.id())))
			.toList();
		this.index.replaceAll(loaded);
		this.revision = current;
		this.lastCheck = this.clock.millis();
		logger.info("Push filter index holds {} subscriptions", loaded.size());
	}

	/**
	 * Bring the index up to date with changes made on other instances, when
	 * {@code herald.push.index-refresh} has passed since the last check.
	 */
	public synchronized void refreshIfDue() {
		long now = this.clock.millis();
		if (this.revision >= 0 && now - this.lastCheck < this.refresh.toMillis()) {
			return;
		}
		this.lastCheck = now;
		if (this.revision < 0) {
			load();
			return;
		}
		long current = currentRevision();
		if (current == this.revision) {
			return;
		}
		List<Long> revisions = new ArrayList<>();
		Set<UUID> changed = new LinkedHashSet<>();
		this.jdbc.sql("SELECT revision, subscription_id FROM push_change WHERE revision > ? ORDER BY revision")
			.param(this.revision)
			.query((result) -> {
				revisions.add(result.getLong(1));
				changed.add(result.getObject(2, UUID.class));
			});
		if (revisions.isEmpty() || revisions.get(0) != this.revision + 1) {
			// Fell behind what push_change keeps.
			load();
			return;
		}
		Map<UUID, SubscriptionRow> stored = this.repository.findAllById(changed)
			.stream()
			.collect(Collectors.toMap(SubscriptionRow::id, (row) -> row));
		for (UUID id : changed) {
			SubscriptionRow row = stored.get(id);
			if (row != null) {
				this.index.put(row.toSubscription());
			}
			else {
				this.index.remove(id);
			}
		}
		this.revision = revisions.get(revisions.size() - 1);
	}

	private Registered save(String subject, String endpoint, String p256dh, String auth, List<String> filters) {
		Instant now = this.clock.instant();
		Set<SubscriptionRow.FilterRow> filterRows = filters.stream()
			.map(SubscriptionRow.FilterRow::new)
			.collect(Collectors.toCollection(LinkedHashSet::new));
		Optional<SubscriptionRow> existing = this.repository.findByEndpoint(endpoint);
		if (existing.isEmpty() || !existing.get().subject().equals(subject)) {
			long held = this.repository.countBySubject(subject);
			if (held >= this.maxPerIdentity) {
				throw new TooManySubscriptionsException(this.maxPerIdentity);
			}
		}
		SubscriptionRow row = existing
			.map((old) -> new SubscriptionRow(old.id(), subject, endpoint, p256dh, auth, filterRows, old.createdAt(),
					now, old.version()))
			.orElseGet(() -> new SubscriptionRow(UUID.randomUUID(), subject, endpoint, p256dh, auth, filterRows, now,
					now, null));
		SubscriptionRow saved = this.repository.save(row);
		recordChange(saved.id());
		return new Registered(saved.toSubscription(), existing.isEmpty());
	}

	private void recordChange(UUID id) {
		this.jdbc.sql("UPDATE push_revision SET revision = revision + 1 WHERE id = 1").update();
		long revision = currentRevision();
		this.jdbc.sql("INSERT INTO push_change (revision, subscription_id) VALUES (?, ?)")
			.params(revision, id)
			.update();
		this.jdbc.sql("DELETE FROM push_change WHERE revision <= ?").param(revision - KEPT_CHANGES).update();
	}

	private long currentRevision() {
		return this.jdbc.sql("SELECT revision FROM push_revision WHERE id = 1").query(Long.class).single();
	}

	private static boolean isDuplicate(RuntimeException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DuplicateKeyException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A registration's outcome.
	 *
	 * @param subscription the subscription as stored
	 * @param created whether it is new, rather than an update of the same endpoint
	 */
	public record Registered(PushSubscription subscription, boolean created) {

	}

	/** The identity holds {@code herald.push.max-subscriptions-per-identity} already. */
	public static final class TooManySubscriptionsException extends RuntimeException {

		TooManySubscriptionsException(int max) {
			super("This identity holds " + max
					+ " push subscriptions already (herald.push.max-subscriptions-per-identity)");
		}

	}

}
