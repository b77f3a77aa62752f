package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine and the software versions the figures were taken with.
 */
final class Machine {

	private Machine() {
	}

	static String describe(Bench.Options options) {
		String cpu = firstLine("/proc/cpuinfo", "model name");
		long memoryKb = Long.parseLong(firstLine("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", ""));
		String alternative = options.targets().contains(Servers.HERALD_WSS_ALT)
				? "\n" + Servers.HERALD_WSS_ALT + ": " + Servers.Launch.alternative().describe() : "";
		return String.format(java.util.Locale.ROOT, """
				# Herald benchmark
				machine: %d cores (%s), %.0f GiB memory, Linux %s, open files limit %s
				java %s (Herald: %s); %s; %s; %s
				targets: %s; scenarios: %s; rounds: %d; Herald JVM options: %s; Herald arguments: %s
				1-minute load average at start: %.2f%s""",
				Runtime.getRuntime().availableProcessors(), cpu.substring(cpu.indexOf(':') + 1).trim(),
				memoryKb / 1024.0 / 1024.0, System.getProperty("os.version"), command("sh", "-c", "ulimit -n"),
				System.getProperty("java.version"), command(Servers.heraldJava(), "-version"), command("mosquitto", "-h"), command("lighttpd", "-v"),
				command("nginx", "-v"), options.targets(),
				options.scenarios().stream().map(Scenario::key).toList(), options.rounds(),
				options.heraldJvmOptions().isEmpty() ? "(defaults)" : options.heraldJvmOptions(),
				options.heraldArguments().isEmpty() ? "(as shipped)" : options.heraldArguments(), loadAverage(), alternative);
	}

	static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

	private static String firstLine(String file, String prefix) {
		try {
			return Files.readAllLines(Path.of(file)).stream().filter((l) -> l.startsWith(prefix)).findFirst().orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	/** First line of a command's output (version banners), or "(name not found)". */
	private static String command(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
			process.waitFor(10, TimeUnit.SECONDS);
			return lines.isEmpty() ? "" : lines.get(0).trim();
		}
		catch (IOException ex) {
			return "(" + command[0] + " not found)";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}

}
