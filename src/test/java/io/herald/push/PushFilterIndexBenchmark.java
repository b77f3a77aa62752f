package io.herald.push;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.herald.mqtt.TopicFilter;

/**
 * What matching a message costs in the push filter index holding 100,000 subscriptions
 * with news-like filters (one to five each, topics of 50 regions, 40 categories and 100
 * items): a mixed scenario, where broad wildcards make thousands of subscriptions match
 * each message, and a narrow one; next to a scan of every filter with
 * {@link TopicFilter}. A program that prints figures, not a test:
 * <pre>./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.herald.push.PushFilterIndexBenchmark</pre>
 */
public final class PushFilterIndexBenchmark {

	private static final int SUBSCRIPTIONS = 100_000;

	private static final int REGIONS = 50;

	private static final int CATEGORIES = 40;

	private static final int ITEMS = 100;

	private static final int MESSAGES = 20_000;

	private static final int SCANNED_MESSAGES = 200;

	private static final int ROUNDS = 5;

	private PushFilterIndexBenchmark() {
	}

	public static void main(String[] args) {
		System.out.printf("JDK %s, %d cores%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors());
		run("mixed (50% exact topics, 20% a topic's subtree, 15% a category everywhere, 14% a region, 1% /news/#)",
				false);
		run("narrow (70% exact topics, 30% a topic's subtree)", true);
	}

	private static void run(String scenario, boolean narrow) {
		System.out.println("Scenario " + scenario);
		Random random = new Random(42);
		List<PushSubscription> subscriptions = new ArrayList<>();
		int filterCount = 0;
		for (int i = 0; i < SUBSCRIPTIONS; i++) {
			List<String> filters = new ArrayList<>();
			int count = 1 + random.nextInt(5);
			for (int f = 0; f < count; f++) {
				filters.add(narrow ? narrowFilter(random) : filter(random));
			}
			filterCount += filters.size();
			subscriptions.add(new PushSubscription(new UUID(0, i), "subject-" + (i % 5_000),
					"https://fcm.googleapis.com/fcm/send/" + i, "key", "auth", filters));
		}
		long buildStart = System.nanoTime();
		PushFilterIndex index = new PushFilterIndex();
		index.replaceAll(subscriptions);
		double buildMillis = (System.nanoTime() - buildStart) / 1e6;
		String[] topics = new String[4096];
		for (int i = 0; i < topics.length; i++) {
			topics[i] = "/news/region" + random.nextInt(REGIONS) + "/category" + random.nextInt(CATEGORIES) + "/item"
					+ random.nextInt(ITEMS);
		}
		System.out.printf("%,d subscriptions, %,d filters, index built in %.0f ms%n", index.size(), filterCount,
				buildMillis);

		double[] perMessage = new double[ROUNDS];
		long matched = 0;
		for (int round = -2; round < ROUNDS; round++) {
			long found = 0;
			long start = System.nanoTime();
			for (int i = 0; i < MESSAGES; i++) {
				found += index.match(topics[i & (topics.length - 1)]).size();
			}
			double micros = (System.nanoTime() - start) / 1e3 / MESSAGES;
			if (round >= 0) {
				perMessage[round] = micros;
				matched = found;
				System.out.printf("round %d: %.2f µs per message, %.1f subscriptions matched per message%n", round + 1,
						micros, (double) found / MESSAGES);
			}
		}
		double[] sorted = perMessage.clone();
		Arrays.sort(sorted);
		System.out.printf("index: median %.2f µs per message (%.1f matched per message)%n", sorted[ROUNDS / 2],
				(double) matched / MESSAGES);

		List<TopicFilter[]> scanned = subscriptions.stream()
			.map((subscription) -> subscription.filters().stream().map(TopicFilter::of).toArray(TopicFilter[]::new))
			.toList();
		long indexFound = 0;
		for (int i = 0; i < SCANNED_MESSAGES; i++) {
			indexFound += index.match(topics[i & (topics.length - 1)]).size();
		}
		long scanStart = System.nanoTime();
		long scanFound = 0;
		for (int i = 0; i < SCANNED_MESSAGES; i++) {
			String topic = topics[i & (topics.length - 1)];
			for (TopicFilter[] filters : scanned) {
				for (TopicFilter filter : filters) {
					if (filter.matches(topic)) {
						scanFound++;
						break;
					}
				}
			}
		}
		double scanMicros = (System.nanoTime() - scanStart) / 1e3 / SCANNED_MESSAGES;
		System.out.printf("scan of every filter: %.0f µs per message (%.1f matched per message, the index %s)%n",
				scanMicros, (double) scanFound / SCANNED_MESSAGES,
				(scanFound == indexFound) ? "the same on these messages" : "DIFFERENT: " + indexFound);
	}

	/** A filter of a reader who follows a few precise things. */
	private static String narrowFilter(Random random) {
		String topic = "/news/region" + random.nextInt(REGIONS) + "/category" + random.nextInt(CATEGORIES);
		return (random.nextInt(100) < 70) ? topic + "/item" + random.nextInt(ITEMS) : topic + "/#";
	}

	/** A filter as news readers pick them. */
	private static String filter(Random random) {
		String region = "region" + random.nextInt(REGIONS);
		String category = "category" + random.nextInt(CATEGORIES);
		int kind = random.nextInt(100);
		if (kind < 50) {
			return "/news/" + region + "/" + category + "/item" + random.nextInt(ITEMS);
		}
		if (kind < 70) {
			return "/news/" + region + "/" + category + "/#";
		}
		if (kind < 85) {
			return "/news/+/" + category + "/#";
		}
		if (kind < 99) {
			return "/news/" + region + "/#";
		}
		return "/news/#";
	}

}
