package io.herald.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import org.springframework.util.FileSystemUtils;

/**
 * A real PostgreSQL server, initialised into a temporary folder and started from its
 * binaries on a free loopback port, with trust authentication for the user
 * {@value #USER}; stopped by its own process id. PostgreSQL refuses to run as root, so
 * when the tests do, it runs as {@code nobody} (through {@code setpriv}).
 */
public final class PostgresProcess implements AutoCloseable {

	/** The superuser initdb creates. */
	public static final String USER = "herald";

	private static final String NOBODY = "nobody";

	private final Process process;

	private final int port;

	private final Path directory;

	private PostgresProcess(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Initialise and start a server, or skip the calling test when PostgreSQL is not
	 * installed (fail in CI).
	 */
	public static PostgresProcess start() {
		Path bin = RequiredBinary.postgresqlBin();
		boolean root = "root".equals(System.getProperty("user.name"));
		Path directory = null;
		try {
			directory = Files.createTempDirectory("herald-postgres-");
			if (root) {
				handOver(directory);
			}
			Path data = directory.resolve("data");
			run(root, directory, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A",
					"trust", "-E", "UTF8", "--no-sync", "--locale=C"));
			int port = freePort();
			List<String> command = asUser(root,
					List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
							"-k", directory.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
							"synchronous_commit=off", "-c", "full_page_writes=off"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile()))
				.start();
			PostgresProcess postgres = new PostgresProcess(process, port, directory);
			postgres.awaitReady();
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to start PostgreSQL in " + directory, ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** The JDBC URL of {@code database} on this server. */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/** Create an empty database and return its JDBC URL. */
	public String createDatabase(String name) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
			return jdbcUrl(name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed to create database " + name, ex);
		}
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Stop the server (SIGTERM: no new connections, exit once the open ones closed; then
	 * SIGKILL) and delete its folder.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady() {
		Awaitility.await("PostgreSQL ready on " + this.port)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"PostgreSQL exited: " + Files.readString(this.directory.resolve("postgres.log")));
				}
				try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
					return connection.isValid(5);
				}
				catch (SQLException ex) {
					return false;
				}
			});
	}

	private static void run(boolean root, Path directory, List<String> command) throws IOException {
		Path log = directory.resolve("initdb.log");
		Process process = new ProcessBuilder(asUser(root, command)).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command.get(0), ex);
		}
	}

	private static List<String> asUser(boolean root, List<String> command) {
		if (!root) {
			return command;
		}
		List<String> wrapped = new ArrayList<>(List.of(RequiredBinary.find("setpriv", "util-linux").toString(),
				"--reuid=" + NOBODY, "--regid=nogroup", "--clear-groups"));
		wrapped.addAll(command);
		return wrapped;
	}

	/** Gives {@code directory} to {@code nobody}, who runs the server. */
	private static void handOver(Path directory) throws IOException {
		UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
		UserPrincipal nobody = users.lookupPrincipalByName(NOBODY);
		GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
		PosixFileAttributeView attributes = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
		attributes.setOwner(nobody);
		attributes.setGroup(nogroup);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
