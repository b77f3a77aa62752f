package io.herald.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TopicRightsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String LISTS = """
			{"sub": ["/news/#", "users/${username}/#"], "pub": ["/news/${clientid}"], "all": ["chat/+"]}
			""";

	private static final String RULES = """
			[
			  {"permission": "deny", "action": "subscribe", "topic": "/news/secret"},
			  {"permission": "allow", "action": "all", "topic": "/news/#"},
			  {"permission": "allow", "action": "sub", "topic": "eq $SYS/#"},
			  {"permission": "deny", "action": "pub", "topics": ["/alerts/+", "eq /alerts/#"]},
			  {"permission": "allow", "action": "publish", "topic": "/alerts/#"}
			]
			""";

	@ParameterizedTest(name = "{0} {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			subscribe | /news/#           | true
			subscribe | /news/+/sport     | true
			subscribe | /news             | true
			subscribe | '#'               | false
			subscribe | +/news            | false
			subscribe | users/alice/inbox | true
			subscribe | users/alice/#     | true
			subscribe | users/+/inbox     | false
			subscribe | users/bob/inbox   | false
			subscribe | chat/x            | true
			subscribe | chat/#            | false
			subscribe | $SYS/#            | false
			subscribe | a/#/b             | false
			publish   | /news/c1          | true
			publish   | /news/c2          | false
			publish   | /news/europe      | false
			publish   | chat/x            | true
			publish   | chat/x/y          | false
			publish   | users/alice/inbox | false
			publish   | /news/+           | false
			""")
	void objectFormGrantsWhatItsListsCover(String action, String topic, boolean allowed) {
		TopicRights rights = TopicRights.fromAclClaim(parse(LISTS), "alice", "c1");
		assertThat(may(rights, action, topic)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "{0} {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			subscribe | /news/#           | false
			subscribe | /news/+           | false
			subscribe | /news/secret      | false
			subscribe | /news/+/sport     | true
			subscribe | /news/europe      | true
			subscribe | '#'               | false
			publish   | /news/secret      | true
			subscribe | $SYS/#            | true
			subscribe | $SYS/broker       | false
			subscribe | $SYS/+            | false
			publish   | $SYS/broker       | false
			publish   | /alerts/fire      | false
			publish   | /alerts/fire/now  | true
			publish   | /alerts           | true
			subscribe | /alerts/fire/now  | false
			publish   | /weather          | false
			""")
	void ruleArrayIsReadInOrderAndSubscriptionsMustBeCoveredAndUntouchedByDenials(String action, String topic,
			boolean allowed) {
		TopicRights rights = TopicRights.fromAclClaim(parse(RULES), "alice", "c1");
		assertThat(may(rights, action, topic)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "{0}: {1} {2} is {3}")
	@CsvSource(delimiter = '|',
			textBlock = """
					[{"permission": "allow", "action": "all", "topic": "a/#"}, {"permission": "deny", "action": "all", "topic": "a/b"}]  | publish   | a/b   | true
					[{"permission": "deny", "action": "all", "topic": "a/b"}, {"permission": "allow", "action": "all", "topic": "a/#"}]  | publish   | a/b   | false
					[{"permission": "deny", "action": "all", "topic": "a/b"}, {"permission": "allow", "action": "all", "topic": "a/#"}]  | publish   | a/c   | true
					[{"permission": "allow", "action": "all", "topic": "a/#"}, {"permission": "deny", "action": "all", "topic": "a/b"}]  | subscribe | a/#   | true
					[{"permission": "deny", "action": "all", "topic": "a/b"}, {"permission": "allow", "action": "all", "topic": "a/#"}]  | subscribe | a/#   | false
					[{"permission": "deny", "action": "all", "topic": "a/b"}, {"permission": "allow", "action": "all", "topic": "a/#"}]  | subscribe | a/c/# | true
					[{"permission": "deny", "action": "subscribe", "topic": "eq #"}, {"permission": "allow", "action": "all", "topic": "#"}] | subscribe | '#'  | false
					[{"permission": "deny", "action": "subscribe", "topic": "eq #"}, {"permission": "allow", "action": "all", "topic": "#"}] | subscribe | a/#  | true
					[{"permission": "allow", "action": "all", "topic": "eq /news/#"}]                                                     | subscribe | /news/#   | true
					[{"permission": "allow", "action": "all", "topic": "eq /news/#"}]                                                     | subscribe | /news/+   | false
					[{"permission": "allow", "action": "all", "topic": "eq /news/#"}]                                                     | subscribe | /news/x   | false
					[{"permission": "allow", "action": "all", "topic": "eq /news/#"}]                                                     | publish   | /news/x   | false
					[{"permission": "allow", "action": "all", "topic": "eq /news/x"}]                                                     | publish   | /news/x   | true
					[{"permission": "allow", "action": "all", "topic": "eq /news/x"}]                                                     | subscribe | /news/x   | true
					[{"permission": "allow", "action": "all", "topics": []}]                                                             | publish   | a         | false
					[]                                                                                                                   | subscribe | a         | false
					{}                                                                                                                   | subscribe | a         | false
					""")
	void firstMatchingRuleDecidesAndEqNamesOneString(String claim, String action, String topic, boolean allowed) {
		assertThat(may(TopicRights.fromAclClaim(parse(claim), "alice", "c1"), action, topic)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "username {0}, client {1}: {2} {3} is {4}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			alice | c1   | subscribe | users/alice/#   | true
			alice | c1   | publish   | users/alice/x   | true
			alice | c1   | subscribe | users/bob/#     | false
			alice | c1   | publish   | devices/c1      | true
			alice | c1   | publish   | devices/c2      | false
			alice | c1   | subscribe | eq/alice        | true
			alice | c1   | subscribe | eq/+            | false
			a/#   | c1   | subscribe | users/a/#       | false
			a/#   | c1   | publish   | users/a/x       | false
			a/b   | c1   | publish   | users/a/b/x     | false
			+     | c1   | subscribe | users/+/#       | false
			+     | c1   | publish   | users/x/y       | false
			'#'   | c1   | subscribe | users/#         | false
			''    | c1   | publish   | users//x        | false
			alice | null | publish   | devices/null    | false
			alice | null | publish   | devices/        | false
			alice | ''   | publish   | devices/        | false
			alice | a/b  | publish   | devices/a/b     | false
			""")
	void placeholdersGrantOnlyForValuesThatAreOneWholeLevel(String username, String clientId, String action,
			String topic, boolean allowed) {
		String claim = """
				[
				  {"permission": "allow", "action": "all", "topic": "users/${username}/#"},
				  {"permission": "allow", "action": "publish", "topic": "devices/${clientid}"},
				  {"permission": "allow", "action": "all", "topic": "eq eq/${username}"}
				]
				""";
		assertThat(may(TopicRights.fromAclClaim(parse(claim), username, clientId), action, topic)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "username {0}: {1} {2} is {3}")
	@CsvSource(delimiter = '|', textBlock = """
			alice  | publish   | users/alice/private | false
			alice  | publish   | users/bob/private   | true
			alice  | subscribe | users/+/private     | false
			alice  | subscribe | users/bob/#         | true
			a/#    | publish   | users/bob/private   | false
			a/#    | publish   | users/bob/public    | true
			a/b    | publish   | users/a/b/private   | false
			a/b    | publish   | users/x/private     | false
			a/b    | publish   | users/a/b/public    | true
			''     | publish   | users//private      | false
			''     | subscribe | users/#             | false
			''     | subscribe | users/x/public      | true
			""")
	void denialWithAnUnsafePlaceholderDeniesAnyLevelThere(String username, String action, String topic,
			boolean allowed) {
		String claim = """
				[
				  {"permission": "deny", "action": "all", "topic": "users/${username}/private"},
				  {"permission": "allow", "action": "all", "topic": "users/#"}
				]
				""";
		assertThat(may(TopicRights.fromAclClaim(parse(claim), username, null), action, topic)).isEqualTo(allowed);
	}

	@Test
	void denialWithAMissingClientIdDeniesAnyLevelThere() {
		String claim = """
				[
				  {"permission": "deny", "action": "publish", "topic": "devices/${clientid}/#"},
				  {"permission": "allow", "action": "publish", "topic": "devices/#"}
				]
				""";
		TopicRights rights = TopicRights.fromAclClaim(parse(claim), "alice", null);
		assertThat(rights.mayPublish("devices/x/y")).isFalse();
		assertThat(rights.mayPublish("devices/x")).isFalse();
		assertThat(rights.mayPublish("devices")).isTrue();
	}

	@Test
	void denialWithAnUnsafeValueAtTheFirstLevelStillDeniesItsDollarTopic() {
		String claim = """
				[
				  {"permission": "deny", "action": "publish", "topic": "${username}/secret"},
				  {"permission": "allow", "action": "publish", "topic": "$SYS/#"}
				]
				""";
		TopicRights rights = TopicRights.fromAclClaim(parse(claim), "$SYS/x", null);
		assertThat(rights.mayPublish("$SYS/x/secret")).isFalse();
		assertThat(rights.mayPublish("$SYS/y/secret")).isTrue();
	}

	@Test
	void valueWithNullCharacterGrantsNothing() {
		String claim = """
				{"all": ["users/${username}/#"]}
				""";
		TopicRights rights = TopicRights.fromAclClaim(parse(claim), "a\u0000b", null);
		assertThat(rights.mayPublish("users/a/x")).isFalse();
		assertThat(rights.maySubscribe("users/+/#")).isFalse();
	}

	@ParameterizedTest(name = "{0}: {1} {2} is {3}")
	@CsvSource(delimiter = '|',
			textBlock = """
					[{"permission": "allow", "action": "all", "topic": "a/#", "qos": [0, 1]}]                                            | subscribe | a/b | false
					[{"permission": "allow", "action": "all", "topic": "a/#", "qos": [0, 1]}]                                            | publish   | a/b | false
					[{"permission": "allow", "action": "all", "topic": "a/#", "qos": [2, 1, 0]}]                                         | publish   | a/b | true
					[{"permission": "allow", "action": "all", "topic": "a/#", "retain": false}]                                          | publish   | a/b | false
					[{"permission": "allow", "action": "all", "topic": "a/#", "retain": false}]                                          | subscribe | a/b | true
					[{"permission": "allow", "action": "all", "topic": "a/#", "retain": "all", "qos": null}]                             | publish   | a/b | true
					[{"permission": "deny", "action": "all", "topic": "a/b", "qos": 1}, {"permission": "allow", "action": "all", "topic": "a/#"}]        | publish | a/b | false
					[{"permission": "deny", "action": "all", "topic": "a/b", "retain": true}, {"permission": "allow", "action": "all", "topic": "a/#"}]  | publish | a/b | false
					""")
	void qosAndRetainLimitsNarrowAllowRulesAndNeverNarrowDenyRules(String claim, String action, String topic,
			boolean allowed) {
		assertThat(may(TopicRights.fromAclClaim(parse(claim), "alice", "c1"), action, topic)).isEqualTo(allowed);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					"just a string"                                                                  | acl must be an object of topic lists or an array of rules
					42                                                                               | acl must be an object of topic lists or an array of rules
					{"subscribe": ["a"]}                                                             | acl has an unknown key 'subscribe'; it takes sub, pub and all
					{"sub": "a"}                                                                     | acl.sub must be an array of topic filters
					{"sub": null}                                                                    | acl.sub must be an array of topic filters
					{"sub": [1]}                                                                     | acl.sub[0] must be a string
					{"pub": ["a", "a/#/b"]}                                                          | acl.pub[1] is not a valid topic filter: '#' must be a whole level and the last one
					{"all": [""]}                                                                    | acl.all[0] is not a valid topic filter: must not be empty
					["a"]                                                                            | acl[0] must be an object with permission, action and topic
					[null]                                                                           | acl[0] must be an object with permission, action and topic
					[{"action": "all", "topic": "a"}]                                                | acl[0].permission is required
					[{"permission": "Allow", "action": "all", "topic": "a"}]                         | acl[0].permission must be allow or deny
					[{"permission": true, "action": "all", "topic": "a"}]                            | acl[0].permission must be a string
					[{"permission": "allow", "action": "read", "topic": "a"}]                        | acl[0].action must be publish, subscribe or all
					[{"permission": "allow", "action": "all"}]                                       | acl[0] needs topic or topics
					[{"permission": "allow", "action": "all", "topic": "a", "topics": ["b"]}]        | acl[0] has both topic and topics
					[{"permission": "allow", "action": "all", "topic": "a", "colour": "red"}]        | acl[0] has an unknown key 'colour'
					[{"permission": "allow", "action": "all", "topics": ["a", 3]}]                   | acl[0].topics[1] must be a string
					[{"permission": "allow", "action": "all", "topics": "a"}]                        | acl[0].topics must be an array of topic filters
					[{"permission": "allow", "action": "all", "topic": "eq "}]                       | acl[0].topic is not a valid topic filter: must not be empty
					[{"permission": "allow", "action": "all", "topic": "a+"}]                        | acl[0].topic is not a valid topic filter: '+' must be a whole level
					[{"permission": "allow", "action": "all", "topic": "${peerhost}/x"}]             | acl[0].topic has a placeholder other than ${username} and ${clientid}
					[{"permission": "allow", "action": "all", "topic": "a", "qos": 3}]               | acl[0].qos must be 0, 1, 2 or an array of them
					[{"permission": "allow", "action": "all", "topic": "a", "qos": "1"}]             | acl[0].qos must be 0, 1, 2 or an array of them
					[{"permission": "allow", "action": "all", "topic": "a", "retain": "yes"}]        | acl[0].retain must be true, false or all
					[{"permission": "allow", "action": "all", "topic": "#"}, {"permission": "allow"}] | acl[1].action is required
					""")
	void malformedClaimIsRefusedNamingTheEntry(String claim, String message) {
		assertThatExceptionOfType(InvalidAclException.class)
			.isThrownBy(() -> TopicRights.fromAclClaim(parse(claim), "alice", "c1"))
			.withMessage(message);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					{"all": ["#"]}                                                                                                       | true
					{"sub": ["#"], "pub": ["#"]}                                                                                         | true
					{"all": ["+/#"]}                                                                                                     | true
					{"sub": ["#"]}                                                                                                       | false
					{"all": ["/#", "$SYS/#"]}                                                                                            | false
					{"all": ["eq #"]}                                                                                                    | false
					[{"permission": "allow", "action": "all", "topic": "#"}]                                                             | true
					[{"permission": "deny", "action": "all", "topic": "$SYS/#"}, {"permission": "allow", "action": "all", "topic": "#"}] | true
					[{"permission": "deny", "action": "pub", "topic": "eq a/#"}, {"permission": "allow", "action": "all", "topic": "#"}] | true
					[{"permission": "deny", "action": "sub", "topic": "a/b"}, {"permission": "allow", "action": "all", "topic": "#"}]    | false
					[{"permission": "deny", "action": "sub", "topic": "eq #"}, {"permission": "allow", "action": "all", "topic": "#"}]   | false
					[{"permission": "deny", "action": "pub", "topic": "eq a/b"}, {"permission": "allow", "action": "all", "topic": "#"}] | false
					[{"permission": "allow", "action": "all", "topic": "#", "qos": [0]}]                                                 | false
					[{"permission": "allow", "action": "all", "topic": "${username}/#"}]                                                 | false
					""")
	void coversEverythingOnlyWithTheRightsOfHash(String claim, boolean everything) {
		assertThat(TopicRights.fromAclClaim(parse(claim), "alice", "c1").coversEverything()).isEqualTo(everything);
	}

	@Test
	void allCoversEverythingButDollarTopics() {
		TopicRights all = TopicRights.all();
		assertThat(all.coversEverything()).isTrue();
		assertThat(all.maySubscribe("#")).isTrue();
		assertThat(all.mayPublish("/news/europe")).isTrue();
		assertThat(all.maySubscribe("$SYS/#")).isFalse();
		assertThat(all.mayPublish("$SYS/broker")).isFalse();
	}

	@Test
	void noneAndNullClaimAllowNothing() {
		for (TopicRights rights : List.of(TopicRights.none(), TopicRights.fromAclClaim(null, "alice", "c1"))) {
			assertThat(rights.maySubscribe("a")).isFalse();
			assertThat(rights.mayPublish("a")).isFalse();
			assertThat(rights.coversEverything()).isFalse();
		}
	}

	@Test
	void filterListsGrantSubscribingAndPublishingSeparately() {
		TopicRights rights = TopicRights.of(List.of("/news/#"), List.of("/news/+/sport", "${username}"));
		assertThat(rights.maySubscribe("/news/+/sport")).isTrue();
		assertThat(rights.mayPublish("/news/europe")).isFalse();
		assertThat(rights.mayPublish("/news/europe/sport")).isTrue();
		assertThat(rights.maySubscribe("/sport")).isFalse();
		assertThat(rights.mayPublish("${username}")).isTrue();
		assertThat(rights.coversEverything()).isFalse();
		assertThat(TopicRights.of(List.of("#"), List.of("#")).coversEverything()).isTrue();
	}

	@Test
	void filterListsRefuseAnInvalidFilterNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicRights.of(List.of("/news/#"), List.of("a/#/b")))
			.withMessage("'a/#/b' is not a valid topic filter: '#' must be a whole level and the last one");
	}

	@Test
	void invalidFiltersAndTopicNamesAreNeverAllowed() {
		TopicRights all = TopicRights.all();
		assertThat(all.maySubscribe("a/#/b")).isFalse();
		assertThat(all.maySubscribe("")).isFalse();
		assertThat(all.mayPublish("a/+")).isFalse();
		assertThat(all.mayPublish("a/#")).isFalse();
		assertThat(all.mayPublish("")).isFalse();
		assertThat(all.mayPublish("a\u0000b")).isFalse();
	}

	private static Object parse(String claim) {
		return json.readValue(claim, Object.class);
	}

	private static boolean may(TopicRights rights, String action, String topic) {
		return "publish".equals(action) ? rights.mayPublish(topic) : rights.maySubscribe(topic);
	}

}
