package io.herald.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.assertj.core.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * Finds an executable a test needs: skips the test with the reason when it is missing, or
 * fails it when {@code HERALD_REQUIRE_BINARIES=true} (set by CI, where nothing may be
 * skipped).
 */
public final class RequiredBinary {

	static final String REQUIRE_ENV = "HERALD_REQUIRE_BINARIES";

	private RequiredBinary() {
	}

	/**
	 * The path of {@code name} on the {@code PATH} (or in {@code /usr/sbin}, where Debian
	 * puts daemons).
	 */
	public static Path find(String name, String debianPackage) {
		Optional<Path> found = locate(name);
		if (found.isPresent()) {
			return found.get();
		}
		String reason = "'" + name + "' is not installed (Debian package " + debianPackage + ")";
		if (Boolean.parseBoolean(System.getenv(REQUIRE_ENV))) {
			Assertions.fail(reason + " and " + REQUIRE_ENV + "=true forbids skipping");
		}
		throw new TestAbortedException(reason + ": skipping");
	}

	private static Optional<Path> locate(String name) {
		String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin";
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, name);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
