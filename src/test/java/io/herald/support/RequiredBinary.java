package io.herald.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * Finds an executable (or a Python module) a test needs: skips the test with the reason
 * when it is missing, or fails it when {@code HERALD_REQUIRE_BINARIES=true} (set by CI,
 * where nothing may be skipped).
 */
public final class RequiredBinary {

	static final String REQUIRE_ENV = "HERALD_REQUIRE_BINARIES";

	/**
	 * Debian's interpreter, where Debian's {@code python3-*} packages install their
	 * modules; the first {@code python3} on the {@code PATH} may be another one.
	 */
	private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

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
		throw missing("'" + name + "' is not installed (Debian package " + debianPackage + ")");
	}

	/**
	 * The folder of PostgreSQL's server programs ({@code initdb}, {@code postgres}):
	 * where {@code initdb} is on the {@code PATH}, or Debian's
	 * {@code /usr/lib/postgresql/<version>/bin}.
	 */
	public static Path postgresqlBin() {
		Optional<Path> onPath = locate("initdb").map(RequiredBinary::resolveLinks);
		if (onPath.isPresent() && Files.isExecutable(onPath.get().resolveSibling("postgres"))) {
			return onPath.get().getParent();
		}
		Path debian = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(debian)) {
			try (java.util.stream.Stream<Path> versions = Files.list(debian)) {
				Optional<Path> bin = versions.map((version) -> version.resolve("bin"))
					.filter((candidate) -> Files.isExecutable(candidate.resolve("initdb"))
							&& Files.isExecutable(candidate.resolve("postgres")))
					.max(Path::compareTo);
				if (bin.isPresent()) {
					return bin.get();
				}
			}
			catch (IOException ex) {
				// Reported as missing below.
			}
		}
		throw missing("PostgreSQL's 'initdb' and 'postgres' are not installed (Debian package postgresql)");
	}

	private static Path resolveLinks(Path path) {
		try {
			return path.toRealPath();
		}
		catch (IOException ex) {
			return path;
		}
	}

	/**
	 * Debian's {@code /usr/bin/python3}, once it has been seen to import {@code module}
	 * (installed by the Debian package {@code debianPackage}).
	 */
	public static Path python3With(String module, String debianPackage) {
		if (!Files.isExecutable(DEBIAN_PYTHON)) {
			throw missing("'" + DEBIAN_PYTHON + "' is not installed (Debian package python3)");
		}
		if (!imports(DEBIAN_PYTHON, module)) {
			throw missing("Python module '" + module + "' cannot be imported by " + DEBIAN_PYTHON + " (Debian package "
					+ debianPackage + ")");
		}
		return DEBIAN_PYTHON;
	}

	private static boolean imports(Path python, String module) {
		try {
			Process process = new ProcessBuilder(python.toString(), "-c", "import " + module).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			try {
				return process.waitFor(15, TimeUnit.SECONDS) && process.exitValue() == 0;
			}
			finally {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * The skip for {@code reason}, for the caller to throw; or, in CI, the failure thrown
	 * here.
	 */
	private static TestAbortedException missing(String reason) {
		if (Boolean.parseBoolean(System.getenv(REQUIRE_ENV))) {
			Assertions.fail(reason + " and " + REQUIRE_ENV + "=true forbids skipping");
		}
		return new TestAbortedException(reason + ": skipping");
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
