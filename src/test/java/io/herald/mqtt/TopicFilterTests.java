package io.herald.mqtt;

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
			#                    | /news/europe            | true
			#                    | news                    | true
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
			#                    | $SYS/broker/uptime      | false
			+/broker/uptime      | $SYS/broker/uptime      | false
			$SYS/#               | $SYS/broker/uptime      | true
			$SYS/+/uptime        | $SYS/broker/uptime      | true
			/#                   | $SYS/broker             | false
			""")
	void matchesWithMqttWildcardSemantics(String filter, String topic, boolean matches) {
		assertThat(TopicFilter.of(filter).matches(topic)).isEqualTo(matches);
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

}
