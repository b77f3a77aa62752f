package io.herald.mqtt;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class TopicFilterTests {

	@ParameterizedTest(name = "{0} matches {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			/news/+/sport        | /news/europe/sport      | true
			/news/+/sport        | /news/usa/tennis        | false
			/news/+/sport        | /news/europe/sport/live | false
			/news/+/sport        | /news//sport            | true
			/news/#              | /news                   | true
			/news/#              | /news/                  | true
			/news/#              | /news/europe/sport      | true
			/news/#              | /newsroom               | false
			'#'                    | /news/europe            | true
			'#'                    | news                    | true
			+                    | news                    | true
			+                    | /news                   | false
			/+                   | /news                   | true
			+/+                  | /news                   | true
			a/+                  | a/                      | true
			a/+                  | a                       | false
			a/+/#                | a/b                     | true
			a/b                  | a/b                     | true
			a/b                  | a/B                     | false
			a/b                  | a/b/                    | false
			a/b/                 | a/b                     | false
			'#'                    | $SYS/broker/uptime      | false
			+/broker/uptime      | $SYS/broker/uptime      | false
			$SYS/#               | $SYS/broker/uptime      | true
			$SYS/+/uptime        | $SYS/broker/uptime      | true
			/#                   | $SYS/broker             | false
			""")
	void matchesWithMqttWildcardSemantics(String filter, String topic, boolean matches) {
		assertThat(TopicFilter.of(filter).matches(topic)).isEqualTo(matches);
	}

	@ParameterizedTest(name = "{0} covers {1}: {2}, intersects it: {3}")
	@CsvSource(delimiter = '|', textBlock = """
			/news/europe/+ | /news/europe/sport | true  | true
			/news/europe/+ | /news/#            | false | true
			/news/europe/+ | /news/+/sport      | false | true
			/news/#        | /news/europe/+     | true  | true
			/news/#        | /newsroom/#        | false | false
			'#'            | /news/#            | true  | true
			'#'            | a/+                | true  | true
			'#'            | '#'                | true  | true
			'#'            | +                  | true  | true
			'#'            | +/#                | true  | true
			+/#            | '#'                | true  | true
			+              | '#'                | false | true
			+/+            | '#'                | false | true
			'#'            | $SYS/#             | false | false
			'#'            | $SYS/x             | false | false
			+/x            | $a/x               | false | false
			+              | $a                 | false | false
			/#             | $SYS/x             | false | false
			+              | /#                 | false | false
			/+/#           | /#                 | true  | true
			/#             | /+/#               | true  | true
			/#             | /                  | true  | true
			$SYS/#         | $SYS/broker/x      | true  | true
			$SYS/#         | $SYS               | true  | true
			$SYS/+         | $SYS/#             | false | true
			$SYS/+/x       | +/+/x              | false | false
			a/#            | a                  | true  | true
			a/#            | a/+                | true  | true
			a/#            | a/#                | true  | true
			a/#            | a/                 | true  | true
			a/#            | ab                 | false | false
			a/+            | a                  | false | false
			a/+            | a/#                | false | true
			a/+            | a/                 | true  | true
			a/             | a/+                | false | true
			a/b/#          | a/+                | false | true
			a/+/#          | a/b                | true  | true
			+/+            | /x                 | true  | true
			+/+            | a/#                | false | true
			+/+/+          | a/#                | false | true
			/a             | +/a                | false | true
			+/a            | /a                 | true  | true
			/+             | +                  | false | false
			a/+/b          | a//b               | true  | true
			a//b           | a/+/b              | false | true
			a//b           | a//b               | true  | true
			a/b            | a/b                | true  | true
			a/b            | a/c                | false | false
			a/b            | a/b/               | false | false
			a/b/           | a/b                | false | false
			a/+/c/#        | a/b/c              | true  | true
			a/+/c/#        | a/b/d/#            | false | false
			a/+/c/#        | +/b/+/d            | false | true
			""")
	void coversAndIntersectsWithMqttWildcardSemantics(String filter, String other, boolean covers, boolean intersects) {
		TopicFilter one = TopicFilter.of(filter);
		TopicFilter two = TopicFilter.of(other);
		assertThat(one.covers(two)).isEqualTo(covers);
		assertThat(one.intersects(two)).isEqualTo(intersects);
		assertThat(two.intersects(one)).isEqualTo(intersects);
	}

	/**
	 * Compares every filter of up to four levels over the level values {@code a},
	 * {@code b}, {@code ""} and {@code $a} with every other, against the topic names each
	 * one matches.
	 *
	 * <p>
	 * Nothing is drawn at random: the 935 filters give 874,225 pairs, few enough to check
	 * all. The universe of topic names is complete for them: its levels are the four
	 * values plus {@code o}, which stands for every value no filter names (at the first
	 * level every such value starting with {@code $} is matched by no filter at all, as
	 * only a wildcard could match it); and its names have one to five levels, one more
	 * than the deepest filter, because a name longer than that is matched only through
	 * {@code #}, so cutting it to five levels keeps what each filter says of it. The
	 * empty name is left out, as MQTT refuses it.
	 */
	@Test
	void coversAndIntersectsAgreeWithMatchingEveryTopicOfASmallAlphabet() {
		List<String> levels = List.of("a", "b", "", "$a");
		List<TopicFilter> filters = new ArrayList<>();
		for (String filter : join(levels, 1, 4, true)) {
			filters.add(TopicFilter.of(filter));
		}
		List<String> topics = join(List.of("a", "b", "", "$a", "o"), 1, 5, false);
		List<BitSet> matched = new ArrayList<>();
		for (TopicFilter filter : filters) {
			BitSet bits = new BitSet(topics.size());
			for (int i = 0; i < topics.size(); i++) {
				bits.set(i, filter.matches(topics.get(i)));
			}
			matched.add(bits);
		}
		List<String> wrong = new ArrayList<>();
		for (int f = 0; f < filters.size(); f++) {
			for (int g = 0; g < filters.size(); g++) {
				BitSet onlyByOther = (BitSet) matched.get(g).clone();
				onlyByOther.andNot(matched.get(f));
				boolean covers = onlyByOther.isEmpty();
				if (filters.get(f).covers(filters.get(g)) != covers) {
					wrong.add(filters.get(f) + " covers " + filters.get(g) + " should be " + covers);
				}
				boolean intersects = matched.get(f).intersects(matched.get(g));
				if (filters.get(f).intersects(filters.get(g)) != intersects) {
					wrong.add(filters.get(f) + " intersects " + filters.get(g) + " should be " + intersects);
				}
			}
		}
		assertThat(filters).hasSize(935);
		assertThat(wrong).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/#/b", "a+", "a/b+/c", "#/a", "a#", "a/##", "++", "sport+" })
	void refusesMisplacedWildcards(String filter) {
		assertThatExceptionOfType(InvalidTopicException.class).isThrownBy(() -> TopicFilter.of(filter));
	}

	@ParameterizedTest
	@ValueSource(strings = { "#", "+", "/", "+/+/#", "/news/+/sport", "$SYS/#", "a b/ü/€/😀" })
	void acceptsWellFormedFilters(String filter) {
		assertThatNoException().isThrownBy(() -> TopicFilter.of(filter));
	}

	@Test
	void refusesEmptyFilterAndName() {
		assertThatExceptionOfType(InvalidTopicException.class).isThrownBy(() -> TopicFilter.of(""))
			.withMessage("must not be empty");
		assertThatExceptionOfType(InvalidTopicException.class).isThrownBy(() -> TopicFilter.checkTopicName(null))
			.withMessage("must not be empty");
	}

	@Test
	void refusesWildcardsInTopicNames() {
		assertThatExceptionOfType(InvalidTopicException.class)
			.isThrownBy(() -> TopicFilter.checkTopicName("/news/+/sport"))
			.withMessageContaining("wildcards");
		assertThatExceptionOfType(InvalidTopicException.class).isThrownBy(() -> TopicFilter.checkTopicName("news/#"));
	}

	@Test
	void refusesNullCharacter() {
		assertThatExceptionOfType(InvalidTopicException.class).isThrownBy(() -> TopicFilter.checkTopicName("a\u0000b"))
			.withMessageContaining("U+0000");
	}

	@Test
	void refusesUnpairedSurrogate() {
		assertThatExceptionOfType(InvalidTopicException.class).isThrownBy(() -> TopicFilter.checkTopicName("a\ud800b"))
			.withMessageContaining("surrogate");
	}

	@Test
	void countsLengthInUtf8Bytes() {
		assertThatNoException().isThrownBy(() -> TopicFilter.checkTopicName("a".repeat(TopicFilter.MAX_LENGTH)));
		assertThatExceptionOfType(InvalidTopicException.class)
			.isThrownBy(() -> TopicFilter.checkTopicName("a".repeat(TopicFilter.MAX_LENGTH + 1)))
			.withMessageContaining("65535");
		// 21,846 three-byte characters are 65,538 bytes, though only 21,846 chars.
		assertThatExceptionOfType(InvalidTopicException.class)
			.isThrownBy(() -> TopicFilter.checkTopicName("€".repeat(21_846)));
		// A surrogate pair is one four-byte character.
		assertThatNoException().isThrownBy(() -> TopicFilter.checkTopicName("😀".repeat(16_383)));
		assertThatExceptionOfType(InvalidTopicException.class)
			.isThrownBy(() -> TopicFilter.checkTopicName("😀".repeat(16_384)));
	}

	@Test
	void equalByFilterText() {
		assertThat(TopicFilter.of("/news/#")).isEqualTo(TopicFilter.of("/news/#"))
			.hasSameHashCodeAs(TopicFilter.of("/news/#"))
			.hasToString("/news/#");
	}

	/**
	 * Every string of {@code min} to {@code max} levels from {@code levels}, joined with
	 * {@code /}; with {@code wildcards}, {@code +} is one more value and {@code #} may
	 * end the string. The empty string is left out.
	 */
	private static List<String> join(List<String> levels, int min, int max, boolean wildcards) {
		List<String> values = new ArrayList<>(levels);
		if (wildcards) {
			values.add("+");
		}
		List<String> joined = new ArrayList<>();
		List<List<String>> current = List.of(List.of());
		for (int depth = 1; depth <= max; depth++) {
			List<List<String>> next = new ArrayList<>();
			for (List<String> prefix : current) {
				if (wildcards && depth >= min) {
					joined.add(String.join("/", append(prefix, "#")));
				}
				for (String value : values) {
					next.add(append(prefix, value));
				}
			}
			for (List<String> candidate : next) {
				String string = String.join("/", candidate);
				if (depth >= min && !string.isEmpty()) {
					joined.add(string);
				}
			}
			current = next;
		}
		return joined;
	}

	@Test
	void settingsNameTheirPropertyAndTheFilter() {
		assertThatNoException().isThrownBy(() -> TopicFilter.checkSetting("herald.feed.topics", null));
		assertThatNoException()
			.isThrownBy(() -> TopicFilter.checkSetting("herald.feed.topics", List.of("/news/#", "+/x")));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> TopicFilter.checkSetting("herald.push.topics", List.of("/news/#", "/news/sport#")))
			.withMessage(
					"herald.push.topics has an invalid filter '/news/sport#': '#' must be a whole level and the last one")
			.withCauseInstanceOf(InvalidTopicException.class);
	}

	private static List<String> append(List<String> prefix, String level) {
		List<String> levels = new ArrayList<>(prefix);
		levels.add(level);
		return levels;
	}

}
