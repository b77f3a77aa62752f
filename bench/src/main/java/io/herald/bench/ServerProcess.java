package io.herald.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server process the benchmark started: waits for its port, and stops it and its children by
 * their process ids (never by name).
 */
final class ServerProcess implements AutoCloseable {

	/** Everything started and not yet stopped, so a shutdown hook can stop it on Ctrl-C. */
	private static final Set<ServerProcess> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(ServerProcess::close), "bench-stop"));
	}

	private final String name;

	private final Process process;

	private final Path log;

	private ServerProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	static ServerProcess start(String name, List<String> command, Path directory) {
		Path log = directory.resolve(name + ".log");
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
				.start();
			ServerProcess started = new ServerProcess(name, process, log);
			running.add(started);
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to start " + name + ": " + String.join(" ", command), ex);
		}
	}

	/** A port nobody listens on at the moment, on the loopback interface. */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(false);
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to find a free port", ex);
		}
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	/** Wait until the process accepts TCP connections on {@code port}; fail if it exits first. */
	ServerProcess awaitPort(int port, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + ":\n" + logTail());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return this;
			}
			catch (IOException ex) {
				sleep(100);
			}
		}
		throw new IllegalStateException(this.name + " did not listen on port " + port + " within " + timeout + ":\n"
				+ logTail());
	}

	/** Lines of the process's log so far that contain {@code text}. */
	List<String> logLines(String text) {
		try {
			return Files.readAllLines(this.log, StandardCharsets.UTF_8).stream().filter((l) -> l.contains(text)).toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	/** SIGTERM to the process, SIGKILL after 15 s; then the same for any child left behind. */
	@Override
	public void close() {
		List<ProcessHandle> children = this.process.descendants().toList();
		this.process.destroy();
		try {
			if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		for (ProcessHandle child : children) {
			if (child.isAlive()) {
				child.destroyForcibly();
			}
		}
		running.remove(this);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	static void sleep(Duration duration) {
		sleep(duration.toMillis());
	}

	/**
	 * Stop a perf process as Ctrl-C would, so that it writes what it counted or recorded, and
	 * wait for it; false (and the process killed) if it did not end within {@code timeout}.
	 */
	static boolean interrupt(Process process, Duration timeout) throws IOException, InterruptedException {
		new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
		if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			return true;
		}
		process.destroyForcibly();
		return false;
	}

}
