package io.herald.push;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A {@link PushDelivery} for tests: keeps what it was handed, in order, and may pass it
 * on.
 */
public final class RecordingPushDelivery implements PushDelivery {

	private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

	private final @Nullable PushDelivery next;

	/** Keeping what it was handed, and no more. */
	public RecordingPushDelivery() {
		this(null);
	}

	/** Keeping what it was handed, then passing it on to {@code next}. */
	public RecordingPushDelivery(@Nullable PushDelivery next) {
		this.next = next;
	}

	@Override
	public void deliver(PushSubscription subscription, String topic, byte[] payload) {
		this.deliveries.add(new Delivery(subscription, topic, payload.clone()));
		if (this.next != null) {
			this.next.deliver(subscription, topic, payload);
		}
	}

	public List<Delivery> deliveries() {
		return List.copyOf(this.deliveries);
	}

	/**
	 * One message handed over.
	 *
	 * @param subscription to whom
	 * @param topic its topic
	 * @param payload its bytes
	 */
	public record Delivery(PushSubscription subscription, String topic, byte[] payload) {

	}

}
