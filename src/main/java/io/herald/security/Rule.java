package io.herald.security;

import java.util.List;

import io.herald.mqtt.TopicFilter;

/**
 * One rule of topic rights: allow or deny publishing, subscribing or both on some topics.
 *
 * @param allow whether the rule allows (or else denies) what it matches
 * @param publish whether the rule is about publishing
 * @param subscribe whether the rule is about subscribing
 * @param topics what the rule matches; a rule with none matches nothing
 */
record Rule(boolean allow, boolean publish, boolean subscribe, List<TopicPattern> topics) {

	Rule {
		topics = List.copyOf(topics);
	}

	/** Whether this rule decides a publish to {@code topic}. */
	boolean decidesPublish(String topic) {
		return this.publish && this.topics.stream().anyMatch((pattern) -> pattern.matches(topic));
	}

	/**
	 * Whether this rule decides a subscription to {@code filter}: an allow rule when one
	 * of its topics covers every topic the filter can match, a deny rule when one of them
	 * shares any.
	 */
	boolean decidesSubscribe(TopicFilter filter) {
		return this.subscribe && this.topics.stream()
			.anyMatch((pattern) -> this.allow ? pattern.covers(filter) : pattern.intersects(filter));
	}

}
