package io.herald.feed;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

import io.herald.mqtt.TopicFilter;

import org.springframework.util.Assert;

/**
 * The newest messages the feed received, at most a fixed number, oldest dropped first.
 */
class NewsHistory {

	private final NewsItem[] ring;

	private final Clock clock;

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	/** Id of the next message; also how many were ever added, since ids start at 1. */
	private long nextId = 1;

	NewsHistory(int capacity, Clock clock) {
		Assert.isTrue(capacity > 0, "History capacity must be positive");
		this.ring = new NewsItem[capacity];
		this.clock = clock;
	}

	int capacity() {
		return this.ring.length;
	}

	/** Keep a received message, dropping the oldest one when full. */
	NewsItem add(String topic, String payload, int qos, boolean retained) {
		this.lock.writeLock().lock();
		try {
			NewsItem item = new NewsItem(this.nextId, topic, payload, qos, retained, this.clock.instant());
			this.ring[slot(this.nextId)] = item;
			this.nextId++;
			return item;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Up to {@code limit} of the newest messages whose topic matches {@code filter},
	 * newest first.
	 */
	List<NewsItem> newest(TopicFilter filter, int limit) {
		return newest(filter, (topic) -> true, limit);
	}

	/**
	 * Up to {@code limit} of the newest messages whose topic matches {@code filter} and
	 * is {@code visible}, newest first.
	 */
	List<NewsItem> newest(TopicFilter filter, Predicate<String> visible, int limit) {
		List<NewsItem> found = new ArrayList<>(Math.min(limit, this.ring.length));
		this.lock.readLock().lock();
		try {
			long oldest = Math.max(1, this.nextId - this.ring.length);
			for (long id = this.nextId - 1; id >= oldest && found.size() < limit; id--) {
				NewsItem item = this.ring[slot(id)];
				if (filter.matches(item.topic()) && visible.test(item.topic())) {
					found.add(item);
				}
			}
		}
		finally {
			this.lock.readLock().unlock();
		}
		return found;
	}

	private int slot(long id) {
		return (int) (id % this.ring.length);
	}

}
