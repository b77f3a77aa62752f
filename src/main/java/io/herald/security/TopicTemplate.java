package io.herald.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import org.jspecify.annotations.Nullable;

/**
 * One topic of an {@code acl} claim, checked once: a topic filter, perhaps written with
 * {@code eq} and with the placeholders {@code ${username}} and {@code ${clientid}}.
 */
final class TopicTemplate {

	private static final String EXACT_PREFIX = "eq ";

	private static final String USERNAME = "username";

	private static final String CLIENT_ID = "clientid";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

	private final boolean exact;

	private final String template;

	private TopicTemplate(boolean exact, String template) {
		this.exact = exact;
		this.template = template;
	}

	/**
	 * Check {@code topic}, the entry of the claim at {@code where}.
	 * @throws InvalidAclException naming {@code where} and what is wrong
	 */
	static TopicTemplate parse(String topic, String where) {
		boolean exact = topic.startsWith(EXACT_PREFIX);
		String template = exact ? topic.substring(EXACT_PREFIX.length()) : topic;
		try {
			TopicFilter.of(template);
		}
		catch (InvalidTopicException ex) {
			throw new InvalidAclException(where + " is not a valid topic filter: " + ex.getMessage());
		}
		Matcher placeholder = PLACEHOLDER.matcher(template);
		while (placeholder.find()) {
			String name = placeholder.group(1);
			if (!USERNAME.equals(name) && !CLIENT_ID.equals(name)) {
				throw new InvalidAclException(
						where + " has a placeholder other than ${" + USERNAME + "} and ${" + CLIENT_ID + "}");
			}
		}
		return new TopicTemplate(exact, template);
	}

	/**
	 * What this topic names for one client, in a rule that allows or denies. With a
	 * placeholder whose value is missing or not one whole topic level, an allow rule's
	 * topic names nothing, while a deny rule's topic names both the plain substitution
	 * (when that is a valid filter) and the filter with each such placeholder's level
	 * replaced by {@code +}, read with its wildcards even after {@code eq}.
	 */
	List<TopicPattern> resolve(boolean allow, String username, @Nullable String clientId) {
		List<String> literal = new ArrayList<>();
		List<String> guarded = new ArrayList<>();
		boolean complete = true;
		boolean safe = true;
		for (String level : this.template.split("/", -1)) {
			StringBuilder rendered = new StringBuilder();
			boolean levelSafe = true;
			Matcher placeholder = PLACEHOLDER.matcher(level);
			while (placeholder.find()) {
				String value = USERNAME.equals(placeholder.group(1)) ? username : clientId;
				levelSafe &= isOneLevel(value);
				complete &= value != null;
				placeholder.appendReplacement(rendered, Matcher.quoteReplacement((value != null) ? value : ""));
			}
			placeholder.appendTail(rendered);
			literal.add(rendered.toString());
			guarded.add(levelSafe ? rendered.toString() : "+");
			safe &= levelSafe;
		}
		if (safe) {
			return patterns(String.join("/", literal), this.exact);
		}
		if (allow) {
			return List.of();
		}
		List<TopicPattern> patterns = new ArrayList<>(patterns(String.join("/", guarded), false));
		if (complete) {
			patterns.addAll(patterns(String.join("/", literal), this.exact));
		}
		return patterns;
	}

	private static List<TopicPattern> patterns(String topic, boolean exact) {
		try {
			TopicFilter filter = TopicFilter.of(topic);
			return List.of(exact ? TopicPattern.exact(topic) : TopicPattern.wildcard(filter));
		}
		catch (InvalidTopicException ex) {
			// Longer than MQTT allows, or a value broke the filter: no topic has that
			// name.
			return List.of();
		}
	}

	private static boolean isOneLevel(@Nullable String value) {
		if (value == null || value.indexOf('/') >= 0) {
			return false;
		}
		try {
			TopicFilter.checkTopicName(value);
			return true;
		}
		catch (InvalidTopicException ex) {
			return false;
		}
	}

}
