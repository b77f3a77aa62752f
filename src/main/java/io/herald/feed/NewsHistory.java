package io.herald.feed;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.mqtt.TopicFilter;

import org.springframework.util.Assert;

/**
 * The newest messages the feed received, bounded both in count and in bytes, oldest
 * dropped first.
 * <p>
 * Bytes are counted as the JVM holds the text at most (two bytes a character) plus a
 * fixed allowance per message, so the budget bounds the heap the history takes whatever
 * the payloads are.
 * <p>
 * Ids are {@code <epoch>-<sequence>}: the epoch (when this history began, in base 36
 * milliseconds) tells an id from before a restart from one after it, so a client coming
 * back with an old id learns that it may have missed messages instead of silently
 * skipping them.
 */
class NewsHistory {

	/**
	 * Heap one kept message takes besides its text: the item, its strings and instant.
	 */
	static final int ITEM_OVERHEAD = 128;

	private static final Pattern ID = Pattern.compile("([0-9a-z]{1,13})-([0-9]{1,18})");

	private final NewsItem[] ring;

	private final long maxBytes;

	private final Clock clock;

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	/** Id of the next message; also how many were ever added, since ids start at 1. */
	private long nextId = 1;

	/** Id of the oldest message kept ({@code nextId} when none is). */
	private long oldestId = 1;

	private long bytes;

	private final String epoch;

	/** Told of each message added, under the write lock. */
	private Consumer<NewsItem> listener = (item) -> {
	};

	NewsHistory(int capacity, long maxBytes, Clock clock) {
		Assert.isTrue(capacity > 0, "History capacity must be positive");
		Assert.isTrue(maxBytes > 0, "History byte budget must be positive");
		this.ring = new NewsItem[capacity];
		this.maxBytes = maxBytes;
		this.clock = clock;
		this.epoch = Long.toString(clock.millis(), Character.MAX_RADIX);
	}

	/** Tell {@code listener} of every message added from now on, as it is added. */
	void listen(Consumer<NewsItem> listener) {
		this.lock.writeLock().lock();
		try {
			this.listener = listener;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Run {@code action} while no message can be added, so that what it reads of the
	 * history and what the listener is told of next meet with no gap and no overlap.
	 */
	<T> T exclusively(Supplier<T> action) {
		this.lock.writeLock().lock();
		try {
			return action.get();
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * The messages kept after {@code lastId} that {@code wanted} accepts, oldest first,
	 * and whether some after it are no longer kept.
	 * @param lastId a history id, or {@code null} for none (nothing to replay)
	 * @throws IllegalArgumentException if {@code lastId} is not an id or is one this
	 * history has not given out yet
	 */
	Replay after(String lastId, Predicate<String> wanted) {
		this.lock.readLock().lock();
		try {
			Matcher id = ID.matcher(lastId);
			if (!id.matches()) {
				throw new IllegalArgumentException("'" + lastId + "' is not a history id (<epoch>-<sequence>)");
			}
			long from;
			boolean gap;
			if (id.group(1).equals(this.epoch)) {
				long sequence = Long.parseLong(id.group(2));
				if (sequence >= this.nextId) {
					throw new IllegalArgumentException("'" + lastId + "' is not an id this history has given out");
				}
				gap = sequence < this.oldestId - 1;
				from = Math.max(sequence + 1, this.oldestId);
			}
			else {
				// Given out before a restart, or by another instance: whatever came since
				// is unknown.
				gap = true;
				from = this.oldestId;
			}
			List<NewsItem> items = new ArrayList<>();
			for (long sequence = from; sequence < this.nextId; sequence++) {
				NewsItem item = this.ring[slot(sequence)];
				if (wanted.test(item.topic())) {
					items.add(item);
				}
			}
			return new Replay(items, gap, id(this.oldestId - 1));
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/** The id of the newest message, or the one before the first when there is none. */
	String newestId() {
		this.lock.readLock().lock();
		try {
			return id(this.nextId - 1);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private String id(long sequence) {
		return this.epoch + "-" + sequence;
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
			NewsItem item = new NewsItem(this.nextId, id(this.nextId), topic, payload, qos, retained,
					this.clock.instant());
			this.ring[slot(this.nextId)] = item;
			this.nextId++;
			this.bytes += sizeOf(item);
			while (this.bytes > this.maxBytes && this.oldestId < this.nextId - 1) {
				dropOldest();
			}
			this.listener.accept(item);
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

	/**
	 * What a client coming back after an id missed.
	 *
	 * @param items the kept messages it wants, oldest first
	 * @param gap whether messages after its id are no longer kept (or unknown, for an id
	 * of another epoch)
	 * @param horizon the id just before the oldest kept message: where a client that was
	 * told of the gap stands
	 */
	record Replay(List<NewsItem> items, boolean gap, String horizon) {

	}

}
