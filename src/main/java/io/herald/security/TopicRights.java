package io.herald.security;

import java.util.ArrayList;
import java.util.List;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import org.jspecify.annotations.Nullable;

/**
 * What one client may subscribe to and publish on, from configured filter lists or from
 * the {@code acl} claim of its token.
 *
 * <p>
 * The claim takes either form EMQX 5 accepts. An object {@code {"sub": [..], "pub": [..],
 * "all": [..]}} lists topic filters granted for subscribing, for publishing, and for
 * both. An array of rules
 * {@code {"permission": "allow"|"deny", "action": "publish"|"subscribe"|"all", "topic":
 * ".."}} (or {@code "topics": [..]}; {@code pub} and {@code sub} stand for the actions,
 * as in EMQX) is read in order: the first rule that matches decides, and what no rule
 * matches is denied. A null claim grants nothing; a malformed one is refused whole with
 * an {@link InvalidAclException}.
 *
 * <p>
 * A publish is allowed when a granted filter matches its topic. A subscription is allowed
 * only when every topic its filter can match is allowed: an allow rule matches the filter
 * only when its own filter covers it, and a deny rule matches as soon as its filter
 * shares a single topic with it. So after deny {@code /news/secret} and allow
 * {@code /news/#}, {@code /news/#} and {@code /news/+} are refused while
 * {@code /news/+/sport} is allowed. EMQX instead lets a deny rule match only the filters
 * it covers.
 *
 * <p>
 * A filter written {@code eq /news/#} names that one string: a subscription to exactly
 * {@code /news/#}, or a publish to exactly that topic. {@code ${username}} (the token's
 * subject) and {@code ${clientid}} are replaced in any filter; a value that is missing,
 * empty or not one whole level (it holds {@code /}, {@code +}, {@code #} or U+0000) makes
 * an allowed filter grant nothing, while a denied filter then denies both what the plain
 * substitution names and what the filter names with the level of that placeholder
 * replaced by {@code +}. Rules limited by {@code qos} or {@code retain}, which Herald
 * does not check, grant nothing for what the limit is about when they allow, and deny
 * regardless when they deny.
 *
 * <p>
 * As in MQTT, {@code #} matches no topic starting with {@code $}, so {@link #all()}
 * leaves out {@code $SYS} and other {@code $}-topics.
 */
public final class TopicRights {

	private static final TopicRights NONE = new TopicRights(List.of());

	private static final TopicRights ALL = of(List.of("#"), List.of("#"));

	private final List<Rule> rules;

	private TopicRights(List<Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	/**
	 * The rights {@code #} for subscribing and publishing: every topic but the
	 * {@code $}-topics.
	 */
	public static TopicRights all() {
		return ALL;
	}

	/** No rights at all. */
	public static TopicRights none() {
		return NONE;
	}

	/**
	 * Rights to subscribe to what the {@code subscribe} filters cover and to publish on
	 * what the {@code publish} filters match, taken as plain filters (no {@code eq}, no
	 * placeholders).
	 * @throws IllegalArgumentException naming the first filter that is not valid
	 */
	public static TopicRights of(List<String> subscribe, List<String> publish) {
		List<Rule> rules = new ArrayList<>();
		for (String filter : subscribe) {
			rules.add(new Rule(true, false, true, List.of(TopicPattern.wildcard(plain(filter)))));
		}
		for (String filter : publish) {
			rules.add(new Rule(true, true, false, List.of(TopicPattern.wildcard(plain(filter)))));
		}
		return new TopicRights(rules);
	}

	/**
	 * The rights an {@code acl} claim grants the client {@code clientId} of user
	 * {@code username}, the claim being a {@code Map}, {@code List} or {@code String}
	 * tree as a JSON parser gives it; a null claim grants nothing.
	 * @throws InvalidAclException naming the entry of the claim that is wrong
	 */
	public static TopicRights fromAclClaim(@Nullable Object acl, String username, @Nullable String clientId) {
		return (acl != null) ? new TopicRights(AclClaim.rules(acl, username, clientId)) : NONE;
	}

	/**
	 * Whether a SUBSCRIBE to {@code filter} is allowed; never for a filter MQTT refuses.
	 */
	public boolean maySubscribe(String filter) {
		TopicFilter subscription;
		try {
			subscription = TopicFilter.of(filter);
		}
		catch (InvalidTopicException ex) {
			return false;
		}
		for (Rule rule : this.rules) {
			if (rule.decidesSubscribe(subscription)) {
				return rule.allow();
			}
		}
		return false;
	}

	/**
	 * Whether a PUBLISH to {@code topic} is allowed; never for a topic name MQTT refuses.
	 */
	public boolean mayPublish(String topic) {
		try {
			TopicFilter.checkTopicName(topic);
		}
		catch (InvalidTopicException ex) {
			return false;
		}
		for (Rule rule : this.rules) {
			if (rule.decidesPublish(topic)) {
				return rule.allow();
			}
		}
		return false;
	}

	/**
	 * Whether these rights include {@link #all()}: subscribing to {@code #} and
	 * publishing on every topic it matches. Where a deny rule comes before the rule
	 * granting {@code #}, the answer is no even when earlier allow rules leave that deny
	 * rule nothing to match.
	 */
	public boolean coversEverything() {
		return grantsAll(false) && grantsAll(true);
	}

	private boolean grantsAll(boolean publish) {
		for (Rule rule : this.rules) {
			if (publish ? rule.publish() : rule.subscribe()) {
				for (TopicPattern topic : rule.topics()) {
					if (rule.allow() && topic.coversAll()) {
						return true;
					}
					if (!rule.allow() && topic.touchesAll(publish)) {
						return false;
					}
				}
			}
		}
		return false;
	}

	private static TopicFilter plain(String filter) {
		try {
			return TopicFilter.of(filter);
		}
		catch (InvalidTopicException ex) {
			throw new IllegalArgumentException("'" + filter + "' is not a valid topic filter: " + ex.getMessage(), ex);
		}
	}

}
