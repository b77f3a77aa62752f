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
 * The newest messages the feed received, bounded both in count and in bytes, oldest
 * dropped first.
 * <p>
 * Bytes are counted as the JVM holds the text at most (two bytes a character) plus a
 * fixed allowance per message, so the budget bounds the heap the history takes whatever
 * the payloads are.
 */
class NewsHistory {

	/**
	 * Heap one kept message takes besides its text: the item, its strings and instant.
	 */
	static final int ITEM_OVERHEAD = 128;

	private final NewsItem[] ring;

	private final long maxBytes;

	private final Clock clock;

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	/** Id of the next message; also how many were ever added, since ids start at 1. */
	private long nextId = 1;

	/** Id of the oldest message kept ({@code nextId} when none is). */
	private long oldestId = 1;

	private long bytes;

	NewsHistory(int capacity, long maxBytes, Clock clock) {
		Assert.isTrue(capacity > 0, "History capacity must be positive");
		Assert.isTrue(maxBytes > 0, "History byte budget must be positive");
		this.ring = new NewsItem[capacity];
		this.maxBytes = maxBytes;
		this.clock = clock;
	}

	int capacity() {
		return this.ring.length;
	}

	/** Bytes the kept messages are counted for. */
	long bytes() {
		this.lock.readLock().lock();
		try {
			return this.bytes;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Keep a received message, dropping the oldest ones while either bound is exceeded
	 * (the newest message is always kept).
	 */
	NewsItem add(String topic, String payload, int qos, boolean retained) {
		this.lock.writeLock().lock();
		try {
			if (this.nextId - this.oldestId == this.ring.length) {
				dropOldest();
			}
			NewsItem item = new NewsItem(this.nextId, topic, payload, qos, retained, this.clock.instant());
			this.ring[slot(this.nextId)] = item;
			this.nextId++;
			this.bytes += sizeOf(item);
			while (this.bytes > this.maxBytes && this.oldestId < this.nextId - 1) {
				dropOldest();
			}
			return item;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	static long sizeOf(NewsItem item) {
		return ITEM_OVERHEAD + 2L * (item.topic().length() + item.payload().length());
	}

	private void dropOldest() {
		int slot = slot(this.oldestId);
		this.bytes -= sizeOf(this.ring[slot]);
		this.ring[slot] = null;
		this.oldestId++;
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
			for (long id = this.nextId - 1; id >= this.oldestId && found.size() < limit; id--) {
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
