package io.herald.push.send;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebPushEncryptionTests {

	// The example of RFC 8291 Appendix A, base64url as the RFC gives it.
	private static final String PLAINTEXT = "When I grow up, I want to be a watermelon";

	private static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";

	private static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";

	private static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";

	private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";

	private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";

	private static final String AUTH_SECRET = "BTBZMqHH6r4Tts7J_aSIgg";

	private static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

	private final WebPushEncryption encryption = new WebPushEncryption();

	@Test
	void reproducesTheExampleOfRfc8291ByteForByte() throws GeneralSecurityException {
		KeyPair server = new KeyPair(P256.publicKey(decode(AS_PUBLIC)), privateKey(AS_PRIVATE));

		byte[] body = this.encryption.encrypt(P256.publicKey(decode(UA_PUBLIC)), decode(AUTH_SECRET),
				PLAINTEXT.getBytes(StandardCharsets.UTF_8), decode(SALT), server);

		assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(body)).isEqualTo(BODY);
	}

	@Test
	void theBrowserSideOfTheTestsDecryptsTheExampleOfRfc8291() throws GeneralSecurityException {
		BrowserSubscription browser = new BrowserSubscription(
				new KeyPair(P256.publicKey(decode(UA_PUBLIC)), privateKey(UA_PRIVATE)), decode(AUTH_SECRET));

		assertThat(new String(browser.decrypt(decode(BODY)), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
	}

	@Test
	void eachMessageHasItsOwnSaltAndKeyAndDecryptsForTheSubscription() throws GeneralSecurityException {
		BrowserSubscription browser = BrowserSubscription.generate();
		byte[] plaintext = "{\"topic\":\"/news/europe/sport\"}".getBytes(StandardCharsets.UTF_8);

		byte[] first = this.encryption.encrypt(browser.p256dh(), browser.auth(), plaintext);
		byte[] second = this.encryption.encrypt(browser.p256dh(), browser.auth(), plaintext);

		assertThat(browser.decrypt(first)).isEqualTo(plaintext);
		assertThat(browser.decrypt(second)).isEqualTo(plaintext);
		assertThat(Arrays.copyOf(first, 16)).isNotEqualTo(Arrays.copyOf(second, 16));
		assertThat(Arrays.copyOfRange(first, 21, 86)).isNotEqualTo(Arrays.copyOfRange(second, 21, 86));
		assertThat(first.length).isEqualTo(86 + plaintext.length + 1 + 16);
	}

	@Test
	void theLargestPlaintextMakesABodyOf4096Bytes() throws GeneralSecurityException {
		BrowserSubscription browser = BrowserSubscription.generate();
		byte[] plaintext = new byte[WebPushEncryption.MAX_PLAINTEXT];
		Arrays.fill(plaintext, (byte) 'x');

		byte[] body = this.encryption.encrypt(browser.p256dh(), browser.auth(), plaintext);

		assertThat(WebPushEncryption.MAX_PLAINTEXT).isEqualTo(3993);
		assertThat(body).hasSize(4096);
		assertThat(browser.decrypt(body)).isEqualTo(plaintext);
	}

	@Test
	void refusesAPlaintextLongerThanOneBodyHolds() {
		BrowserSubscription browser = BrowserSubscription.generate();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.encryption.encrypt(browser.p256dh(), browser.auth(),
					new byte[WebPushEncryption.MAX_PLAINTEXT + 1]))
			.withMessageContaining("3993");
	}

	@Test
	void refusesAKeyThatIsNotOnTheCurve() {
		byte[] offCurve = decode(UA_PUBLIC);
		offCurve[64] ^= 1;

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.encryption.encrypt(offCurve, decode(AUTH_SECRET), new byte[1]))
			.withMessageContaining("not a point on the P-256 curve");
	}

	@Test
	void refusesACompressedKeyAndAShortAuthSecret() {
		byte[] compressed = Arrays.copyOf(decode(UA_PUBLIC), 33);
		compressed[0] = 0x02;

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.encryption.encrypt(compressed, decode(AUTH_SECRET), new byte[1]))
			.withMessageContaining("65 bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.encryption.encrypt(decode(UA_PUBLIC), new byte[8], new byte[1]))
			.withMessageContaining("16 bytes");
	}

	static byte[] decode(String base64Url) {
		return Base64.getUrlDecoder().decode(base64Url);
	}

	private static PrivateKey privateKey(String base64Url) throws GeneralSecurityException {
		return KeyFactory.getInstance("EC")
			.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, decode(base64Url)), P256.PARAMETERS));
	}

}
