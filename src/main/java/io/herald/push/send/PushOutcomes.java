package io.herald.push.send;

/**
 * What the sender tells the rest of Herald about a subscription after a delivery.
 */
@FunctionalInterface
public interface PushOutcomes {

	/**
	 * The push service answered 404 or 410: the subscription expired or the browser
	 * unsubscribed, and it must be forgotten. Called once per such answer, on a sender
	 * thread.
	 * @param target the subscription that is gone
	 */
	void gone(PushTarget target);

}
