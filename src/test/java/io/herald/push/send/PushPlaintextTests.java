package io.herald.push.send;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PushPlaintextTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private final PushPlaintext plaintext = new PushPlaintext(this.json, 100);

	@Test
	void aMessageThatFitsIsWrittenWhole() {
		byte[] written = this.plaintext.of(message("/news/europe/sport", "Goal!"));

		assertThat(new String(written, StandardCharsets.UTF_8))
			.isEqualTo("{\"topic\":\"/news/europe/sport\",\"payload\":\"Goal!\",\"truncated\":false}");
	}

	@Test
	void aLongPayloadIsCutToTheLimitAndMarked() {
		String payload = "x".repeat(500);

		byte[] written = this.plaintext.of(message("/news/europe/sport", payload));

		JsonNode notification = this.json.readTree(written);
		// ASCII costs a byte a character: the cut fills the limit exactly.
		assertThat(written).hasSize(100);
		assertThat(notification.get("truncated").asBoolean()).isTrue();
		assertThat(payload).startsWith(notification.get("payload").asString());
	}

	@Test
	void theCutNeverSplitsACharacter() {
		for (int length = 40; length < 120; length++) {
			String payload = "é🏔\"\n".repeat(length);

			byte[] written = this.plaintext.of(message("/t", payload));

			String cut = this.json.readTree(written).get("payload").asString();
			assertThat(written.length).isLessThanOrEqualTo(100);
			assertThat(payload).startsWith(cut);
			assertThat(cut).isNotEmpty();
			assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
		}
	}

	@Test
	void aTopicThatLeavesNoRoomIsRefusedWithAReason() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.plaintext.of(message("/news/" + "x".repeat(100), "Goal!")))
			.withMessageContaining("leaves no room");
	}

	private static PushMessage message(String topic, String payload) {
		return new PushMessage(topic, payload.getBytes(StandardCharsets.UTF_8));
	}

}
