package io.herald.push.send;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * What delivering costs: the RFC 8291 encryption of one message alone, then pushes
 * through Herald's {@link PushSender} (encryption, VAPID, HTTP) to a push service
 * stand-in on loopback that checks each token and decrypts each body, as a browser would.
 * The stand-in runs in the same process, so the process CPU per push includes its share.
 * A program that prints figures, not a test:
 * <pre>./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.herald.push.send.PushSenderBenchmark</pre>
 */
public final class PushSenderBenchmark {

	private static final int ENCRYPTIONS = 20_000;

	private static final int SUBSCRIPTIONS = 100;

	private static final int PUSHES = 5_000;

	private static final int ROUNDS = 3;

	private PushSenderBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		System.out.printf("JDK %s, %d cores%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors());
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(P256.PARAMETERS);
		KeyPair vapid = generator.generateKeyPair();
		byte[] payload = "{\"topic\":\"/news/europe/sport\",\"payload\":\"a goal in the 90th minute\"}"
			.getBytes(StandardCharsets.UTF_8);

		BrowserSubscription browser = BrowserSubscription.generate();
		WebPushEncryption encryption = new WebPushEncryption();
		for (int round = 1; round <= ROUNDS; round++) {
			long start = System.nanoTime();
			for (int i = 0; i < ENCRYPTIONS; i++) {
				encryption.encrypt(browser.p256dh(), browser.auth(), payload);
			}
			System.out.printf("round %d: encryption %.1f µs per message%n", round,
					(System.nanoTime() - start) / 1_000.0 / ENCRYPTIONS);
		}

		try (PushServiceStandIn pushService = new PushServiceStandIn((ECPublicKey) vapid.getPublic())) {
			List<PushTarget> targets = new ArrayList<>();
			for (int i = 0; i < SUBSCRIPTIONS; i++) {
				targets.add(pushService.subscribe("browser-" + i));
			}
			VapidSigner signer = new VapidSigner((ECPublicKey) vapid.getPublic(), (ECPrivateKey) vapid.getPrivate(),
					"mailto:bench@localhost", Clock.systemUTC());
			PushSenderSettings settings = new PushSenderSettings(Duration.ofHours(1), "normal", 8, PUSHES, 1,
					Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10));
			for (int round = 1; round <= ROUNDS; round++) {
				try (PushSender sender = new PushSender(settings, signer, (gone) -> {
				}, JsonMapper.builder().build(), new SimpleMeterRegistry())) {
					long cpu = os.getProcessCpuTime();
					long start = System.nanoTime();
					for (int i = 0; i < PUSHES; i++) {
						if (!sender.offer(targets.get(i % SUBSCRIPTIONS),
								new PushMessage("/news/europe/sport", Arrays.copyOf(payload, payload.length)))) {
							throw new IllegalStateException("The queue is sized for every push");
						}
					}
					for (int i = 0; i < PUSHES; i++) {
						pushService.next();
					}
					double seconds = (System.nanoTime() - start) / 1e9;
					System.out.printf("round %d: %d pushes in %.2f s, %.0f pushes/s, %.0f µs process CPU per push%n",
							round, PUSHES, seconds, PUSHES / seconds,
							(os.getProcessCpuTime() - cpu) / 1_000.0 / PUSHES);
				}
			}
			pushService.assertNoFailures();
		}
	}

}
