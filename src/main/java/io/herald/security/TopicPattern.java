package io.herald.security;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import org.jspecify.annotations.Nullable;

/**
 * A topic a rule names: an MQTT topic filter, or (written with {@code eq}) one exact
 * string without wildcard meaning.
 *
 * @param text the filter, or the exact string
 * @param filter the filter, or {@code null} for an exact string
 */
record TopicPattern(String text, @Nullable TopicFilter filter) {

	private static final TopicFilter ALL = TopicFilter.of("#");

	static TopicPattern wildcard(TopicFilter filter) {
		return new TopicPattern(filter.toString(), filter);
	}

	static TopicPattern exact(String text) {
		return new TopicPattern(text, null);
	}

	/** Whether a publish to {@code topic} is what this pattern names. */
	boolean matches(String topic) {
		return (this.filter != null) ? this.filter.matches(topic) : this.text.equals(topic);
	}

	/** Whether every topic {@code subscription} can match is one this pattern names. */
	boolean covers(TopicFilter subscription) {
		return (this.filter != null) ? this.filter.covers(subscription) : this.text.equals(subscription.toString());
	}

	/** Whether some topic {@code subscription} can match is one this pattern names. */
	boolean intersects(TopicFilter subscription) {
		return (this.filter != null) ? this.filter.intersects(subscription) : this.text.equals(subscription.toString());
	}

	/**
	 * Whether this pattern names everything {@code #} matches, for publishing and
	 * subscribing.
	 */
	boolean coversAll() {
		return this.filter != null && this.filter.covers(ALL);
	}

	/**
	 * Whether this pattern names something {@code #} matches, for publishing or
	 * subscribing.
	 */
	boolean touchesAll(boolean publish) {
		if (this.filter != null) {
			return this.filter.intersects(ALL);
		}
		return publish ? isTopicName(this.text) && ALL.matches(this.text) : ALL.covers(TopicFilter.of(this.text));
	}

	private static boolean isTopicName(String text) {
		try {
			TopicFilter.checkTopicName(text);
			return true;
		}
		catch (InvalidTopicException ex) {
			return false;
		}
	}

}
