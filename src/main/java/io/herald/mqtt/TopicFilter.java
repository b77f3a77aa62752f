package io.herald.mqtt;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An MQTT topic filter, checked once and then matched against topic names, or compared
 * with another filter, with MQTT 3.1.1's wildcard rules: {@code +} is one whole level,
 * {@code #} is the last level and matches the rest (the parent level included), and a
 * filter starting with a wildcard never matches a topic starting with {@code $}.
 *
 * <p>
 * Paho's {@code MqttTopic.isMatched} leaves out the {@code $} rule and mismatches empty
 * levels ({@code a/+} against {@code a/}), hence this class.
 */
public final class TopicFilter {

	/** The longest topic name or filter MQTT can encode, in UTF-8 bytes. */
	public static final int MAX_LENGTH = 65_535;

	private static final String SINGLE_LEVEL = "+";

	private static final String MULTI_LEVEL = "#";

	/**
	 * The levels of {@code #}, written as {@code +/#}: the same topic names, as a name
	 * has at least one level.
	 */
	private static final String[] EVERYTHING = { SINGLE_LEVEL, MULTI_LEVEL };

	/**
	 * The levels of {@code /#}, written as {@code /+/#}: the same topic names, as the
	 * parent level of {@code /#} would be the empty name, which MQTT refuses.
	 */
	private static final String[] EVERYTHING_AFTER_SLASH = { "", SINGLE_LEVEL, MULTI_LEVEL };

	private final String filter;

	private final String[] levels;

	private final boolean startsWithWildcard;

	private TopicFilter(String filter, String[] levels) {
		this.filter = filter;
		this.levels = levels;
		this.startsWithWildcard = SINGLE_LEVEL.equals(levels[0]) || MULTI_LEVEL.equals(levels[0]);
	}

	/**
	 * Check {@code filter} against MQTT's rules for topic filters.
	 * @throws InvalidTopicException naming the rule it breaks
	 */
	public static TopicFilter of(@Nullable String filter) {
		checkString(filter);
		String[] levels = split(filter);
		for (int i = 0; i < levels.length; i++) {
			String level = levels[i];
			if (level.contains(MULTI_LEVEL) && (!level.equals(MULTI_LEVEL) || i != levels.length - 1)) {
				throw new InvalidTopicException("'#' must be a whole level and the last one");
			}
			if (level.contains(SINGLE_LEVEL) && !level.equals(SINGLE_LEVEL)) {
				throw new InvalidTopicException("'+' must be a whole level");
			}
		}
		return new TopicFilter(filter, levels);
	}

	/**
	 * Check the topic filters of a setting, as configuration binding does.
	 * @param property the setting's name, for the message
	 * @param filters its filters, if set
	 * @throws IllegalArgumentException naming the setting, the filter and the rule it
	 * breaks
	 */
	public static void checkSetting(String property, @Nullable List<String> filters) {
		if (filters == null) {
			return;
		}
		for (String filter : filters) {
			try {
				of(filter);
			}
			catch (InvalidTopicException ex) {
				throw new IllegalArgumentException(
						property + " has an invalid filter '" + filter + "': " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * Check {@code topic} against MQTT's rules for the topic name of a PUBLISH.
	 * @throws InvalidTopicException naming the rule it breaks
	 */
	public static void checkTopicName(@Nullable String topic) {
		checkString(topic);
		if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
			throw new InvalidTopicException("must not contain the wildcards '+' or '#'");
		}
	}

	/**
	 * Whether a message published to {@code topic} is delivered to this filter's
	 * subscribers.
	 */
	public boolean matches(String topic) {
		if (this.startsWithWildcard && topic.startsWith("$")) {
			return false;
		}
		int start = 0;
		for (String level : this.levels) {
			if (MULTI_LEVEL.equals(level)) {
				return true;
			}
			if (start > topic.length()) {
				return false;
			}
			int end = topic.indexOf('/', start);
			if (end < 0) {
				end = topic.length();
			}
			if (!SINGLE_LEVEL.equals(level)
					&& (end - start != level.length() || !topic.regionMatches(start, level, 0, level.length()))) {
				return false;
			}
			start = end + 1;
		}
		return start == topic.length() + 1;
	}

	/**
	 * Whether every topic name {@code other} matches is also matched by this filter, so
	 * that a subscription to {@code other} receives nothing this filter does not match.
	 */
	public boolean covers(TopicFilter other) {
		String[] mine = comparableLevels();
		String[] theirs = other.comparableLevels();
		for (int i = 0; i < mine.length; i++) {
			if (MULTI_LEVEL.equals(mine[i])) {
				return true;
			}
			if (i == theirs.length || MULTI_LEVEL.equals(theirs[i]) || !levelCovers(mine[i], theirs[i], i == 0)) {
				return false;
			}
		}
		return mine.length == theirs.length;
	}

	/** Whether some topic name is matched both by this filter and by {@code other}. */
	public boolean intersects(TopicFilter other) {
		String[] mine = comparableLevels();
		String[] theirs = other.comparableLevels();
		for (int i = 0; i < Math.max(mine.length, theirs.length); i++) {
			// '#' matches any rest, the empty one included (a/# matches a).
			if ((i < mine.length && MULTI_LEVEL.equals(mine[i]))
					|| (i < theirs.length && MULTI_LEVEL.equals(theirs[i]))) {
				return true;
			}
			if (i == mine.length || i == theirs.length || !levelsIntersect(mine[i], theirs[i], i == 0)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof TopicFilter that) && this.filter.equals(that.filter);
	}

	@Override
	public int hashCode() {
		return this.filter.hashCode();
	}

	@Override
	public String toString() {
		return this.filter;
	}

	/** This filter's levels, with no {@code #} whose parent level is not a topic name. */
	private String[] comparableLevels() {
		if (this.levels.length == 1 && MULTI_LEVEL.equals(this.levels[0])) {
			return EVERYTHING;
		}
		if (this.levels.length == 2 && this.levels[0].isEmpty() && MULTI_LEVEL.equals(this.levels[1])) {
			return EVERYTHING_AFTER_SLASH;
		}
		return this.levels;
	}

	/**
	 * Whether every value {@code level} can take at a level also matches
	 * {@code filterLevel}.
	 */
	private static boolean levelCovers(String filterLevel, String level, boolean first) {
		// A first-level wildcard leaves out the $-topics.
		if (SINGLE_LEVEL.equals(filterLevel)) {
			return !first || SINGLE_LEVEL.equals(level) || !level.startsWith("$");
		}
		return filterLevel.equals(level);
	}

	private static boolean levelsIntersect(String one, String other, boolean first) {
		if (SINGLE_LEVEL.equals(one)) {
			return !first || SINGLE_LEVEL.equals(other) || !other.startsWith("$");
		}
		if (SINGLE_LEVEL.equals(other)) {
			return !first || !one.startsWith("$");
		}
		return one.equals(other);
	}

	private static void checkString(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw new InvalidTopicException("must not be empty");
		}
		long bytes = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\u0000') {
				throw new InvalidTopicException("must not contain U+0000");
			}
			if (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new InvalidTopicException("must be well-formed UTF-16 (an unpaired surrogate was found)");
			}
			else {
				bytes += (c < 0x80) ? 1 : (c < 0x800) ? 2 : 3;
			}
		}
		if (bytes > MAX_LENGTH) {
			throw new InvalidTopicException(
					"must not be longer than " + MAX_LENGTH + " bytes in UTF-8 (it has " + bytes + ")");
		}
	}

	private static String[] split(String topic) {
		List<String> levels = new ArrayList<>();
		int start = 0;
		int end;
		while ((end = topic.indexOf('/', start)) >= 0) {
			levels.add(topic.substring(start, end));
			start = end + 1;
		}
		levels.add(topic.substring(start));
		return levels.toArray(String[]::new);
	}

}
