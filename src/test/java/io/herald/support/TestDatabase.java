package io.herald.support;

import java.util.UUID;

/**
 * Settings that keep a test's Herald off {@code ./data}: an in-memory H2 database of its
 * own (in the PostgreSQL mode of the default file database), and the VAPID key pair under
 * {@code target/}.
 */
public final class TestDatabase {

	/** H2's settings after the database name, as in the default URL. */
	public static final String H2_SETTINGS = ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";

	/** Where tests keep the generated VAPID key pair. */
	public static final String VAPID_KEY_FILE = "target/push/vapid-keys";

	private TestDatabase() {
	}

	/** A fresh in-memory database, kept until the JVM exits. */
	public static String inMemoryUrl() {
		return "jdbc:h2:mem:herald-" + UUID.randomUUID() + H2_SETTINGS + ";DB_CLOSE_DELAY=-1";
	}

	/** {@code arguments} followed by {@link #arguments()}. */
	public static String[] withArguments(String... arguments) {
		String[] ours = arguments();
		String[] all = java.util.Arrays.copyOf(arguments, arguments.length + ours.length);
		System.arraycopy(ours, 0, all, arguments.length, ours.length);
		return all;
	}

	/** Command-line arguments for a Herald started by a test. */
	public static String[] arguments() {
		return new String[] { "--spring.datasource.url=" + inMemoryUrl(),
				"--herald.push.vapid.key-file=" + VAPID_KEY_FILE };
	}

}
