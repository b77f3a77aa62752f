package io.herald.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Reads a token's {@code acl} claim, in either form EMQX 5 accepts, into the rules of one
 * client's topic rights.
 */
final class AclClaim {

	private static final List<String> LIST_KEYS = List.of("sub", "pub", "all");

	private static final Set<String> RULE_KEYS = Set.of("permission", "action", "topic", "topics", "qos", "retain");

	private static final Set<Object> EVERY_QOS = Set.of(0L, 1L, 2L);

	private final String username;

	private final @Nullable String clientId;

	private AclClaim(String username, @Nullable String clientId) {
		this.username = username;
		this.clientId = clientId;
	}

	/**
	 * The rules of {@code acl}, a JSON object of topic lists or a JSON array of rules, as
	 * a JSON parser gives them.
	 * @throws InvalidAclException naming the first entry that is wrong
	 */
	static List<Rule> rules(Object acl, String username, @Nullable String clientId) {
		AclClaim claim = new AclClaim(username, clientId);
		if (acl instanceof Map<?, ?> lists) {
			return claim.fromLists(lists);
		}
		if (acl instanceof List<?> rules) {
			return claim.fromRules(rules);
		}
		throw new InvalidAclException("acl must be an object of topic lists or an array of rules");
	}

	private List<Rule> fromLists(Map<?, ?> lists) {
		for (Object key : lists.keySet()) {
			if (!LIST_KEYS.contains(key)) {
				throw new InvalidAclException("acl has an unknown key" + name(key) + "; it takes sub, pub and all");
			}
		}
		List<Rule> rules = new ArrayList<>();
		for (String key : LIST_KEYS) {
			if (lists.containsKey(key)) {
				String where = "acl." + key;
				List<TopicPattern> topics = new ArrayList<>();
				List<?> entries = list(lists.get(key), where);
				for (int i = 0; i < entries.size(); i++) {
					topics.addAll(topic(entries.get(i), where + "[" + i + "]", true));
				}
				rules.add(new Rule(true, !"sub".equals(key), !"pub".equals(key), topics));
			}
		}
		return rules;
	}

	private List<Rule> fromRules(List<?> entries) {
		List<Rule> rules = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			rules.add(rule(entries.get(i), "acl[" + i + "]"));
		}
		return rules;
	}

	private Rule rule(@Nullable Object entry, String where) {
		if (!(entry instanceof Map<?, ?> fields)) {
			throw new InvalidAclException(where + " must be an object with permission, action and topic");
		}
		for (Object key : fields.keySet()) {
			if (!RULE_KEYS.contains(key)) {
				throw new InvalidAclException(where + " has an unknown key" + name(key));
			}
		}
		boolean allow = switch (string(fields.get("permission"), where + ".permission")) {
			case "allow" -> true;
			case "deny" -> false;
			default -> throw new InvalidAclException(where + ".permission must be allow or deny");
		};
		// EMQX takes pub and sub for publish and subscribe too (emqx_authz_rule_raw, and
		// 5.5's notes).
		String action = string(fields.get("action"), where + ".action");
		boolean publish = action.equals("publish") || action.equals("pub") || action.equals("all");
		boolean subscribe = action.equals("subscribe") || action.equals("sub") || action.equals("all");
		if (!publish && !subscribe) {
			throw new InvalidAclException(where + ".action must be publish, subscribe or all");
		}
		List<TopicPattern> topics = topics(fields, where, allow);
		// Herald checks no QoS or retain flag: an allow rule limited to some grants
		// nothing for
		// what the limit is about, a deny rule so limited denies regardless.
		boolean everyQos = everyQos(fields.get("qos"), where + ".qos");
		boolean anyRetain = anyRetain(fields.get("retain"), where + ".retain");
		if (allow && !everyQos) {
			publish = false;
			subscribe = false;
		}
		if (allow && !anyRetain) {
			publish = false;
		}
		return new Rule(allow, publish, subscribe, topics);
	}

	private List<TopicPattern> topics(Map<?, ?> fields, String where, boolean allow) {
		boolean one = fields.containsKey("topic");
		boolean many = fields.containsKey("topics");
		if (one == many) {
			throw new InvalidAclException(where + (one ? " has both topic and topics" : " needs topic or topics"));
		}
		if (one) {
			return topic(fields.get("topic"), where + ".topic", allow);
		}
		List<TopicPattern> topics = new ArrayList<>();
		List<?> entries = list(fields.get("topics"), where + ".topics");
		for (int i = 0; i < entries.size(); i++) {
			topics.addAll(topic(entries.get(i), where + ".topics[" + i + "]", allow));
		}
		return topics;
	}

	private List<TopicPattern> topic(@Nullable Object entry, String where, boolean allow) {
		return TopicTemplate.parse(string(entry, where), where).resolve(allow, this.username, this.clientId);
	}

	private static boolean everyQos(@Nullable Object qos, String where) {
		if (qos == null) {
			return true;
		}
		List<?> levels = (qos instanceof List<?> list) ? list : List.of(qos);
		Set<Object> given = new HashSet<>();
		for (Object level : levels) {
			if (!(level instanceof Integer || level instanceof Long) || ((Number) level).longValue() < 0
					|| ((Number) level).longValue() > 2) {
				throw new InvalidAclException(where + " must be 0, 1, 2 or an array of them");
			}
			given.add(((Number) level).longValue());
		}
		return given.containsAll(EVERY_QOS);
	}

	private static boolean anyRetain(@Nullable Object retain, String where) {
		if (retain == null || "all".equals(retain)) {
			return true;
		}
		if (retain instanceof Boolean) {
			return false;
		}
		throw new InvalidAclException(where + " must be true, false or all");
	}

	private static String string(@Nullable Object value, String where) {
		if (value == null) {
			throw new InvalidAclException(where + " is required");
		}
		if (!(value instanceof String string)) {
			throw new InvalidAclException(where + " must be a string");
		}
		return string;
	}

	private static List<?> list(@Nullable Object value, String where) {
		if (!(value instanceof List<?> list)) {
			throw new InvalidAclException(where + " must be an array of topic filters");
		}
		return list;
	}

	/**
	 * A key from the token, quoted when it is short and plain, so messages stay readable.
	 */
	private static String name(@Nullable Object key) {
		return (key instanceof String string && string.matches("[A-Za-z0-9_.-]{1,40}")) ? " '" + string + "'" : "";
	}

}
