package io.herald.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.herald.support.RequiredBinary;
import io.herald.support.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpStatus;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@code Dockerfile} and {@code deploy/compose.yaml} rely on, checked without a
 * Docker engine: after {@code package}, the jar is split into Boot's layers as the build
 * stage splits it, the layers are laid out as the run stage copies them, and Herald is
 * started from them with the image's entry point, as an unprivileged user that may write
 * only the volume, against a real Mosquitto running {@code deploy/mosquitto.conf}, with
 * the compose file's environment. The image's health check must pass and the volume must
 * hold what Herald wrote.
 */
class ContainerImageIT {

	private static final Path DOCKERFILE = Path.of("Dockerfile");

	private static final Path COMPOSE = Path.of("deploy/compose.yaml");

	private static final Path MOSQUITTO_CONF = Path.of("deploy/mosquitto.conf");

	/** The uid and gid the processes run as when the test runs as root. */
	private static final String UNPRIVILEGED = "65534";

	private static List<Instruction> instructions;

	private static Properties defaults;

	private final List<Process> processes = new ArrayList<>();

	@BeforeAll
	static void readDockerfile() throws IOException {
		instructions = Instruction.parse(Files.readString(DOCKERFILE));
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new FileSystemResource("application.yml"));
		defaults = yaml.getObject();
	}

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	@Test
	void buildsWithTheWrapperAndRunsOnAJreAsItsOwnUser() {
		List<Instruction> stages = all("FROM");
		assertThat(stages).hasSize(2);
		assertThat(stages.get(0).argument()).contains("-jdk").endsWith(" AS build");
		assertThat(stages.get(1).argument()).contains("-jre");
		assertThat(all("RUN").get(1).argument()).contains("./mvnw").contains("package");
		List<Instruction> run = runStage();
		assertThat(run).filteredOn((instruction) -> instruction.keyword().equals("RUN"))
			.anyMatch((instruction) -> instruction.argument().contains("useradd --system"));
		int user = indexOf(run, "USER");
		assertThat(run.get(user).argument()).isEqualTo("herald");
		// Nothing runs as root after the switch.
		assertThat(run.subList(user, run.size())).noneMatch((instruction) -> instruction.keyword().equals("RUN"));
	}

	@Test
	void exposesHeraldsDefaultPortsAndKeepsItsDataInTheVolume() {
		assertThat(one("EXPOSE").argument().split(" ")).containsExactly(defaults.getProperty("server.port"),
				defaults.getProperty("herald.relay.listener.port"),
				defaults.getProperty("herald.broker.embedded-port"));
		Path workdir = Path.of(one("WORKDIR", runStage()).argument());
		Path volume = Path.of(one("VOLUME").argument());
		assertThat(workdir.resolve(defaults.getProperty("herald.security.data-directory")).normalize())
			.isEqualTo(volume);
		assertThat(workdir.resolve(defaults.getProperty("herald.tls.self-signed-directory")).normalize())
			.startsWithRaw(volume);
		assertThat(one("HEALTHCHECK").argument()).contains("$HERALD_HEALTH_URL");
		assertThat(healthUrl())
			.isEqualTo("https://localhost:" + defaults.getProperty("server.port") + "/actuator/health/liveness");
	}

	@Test
	void composeRunsTheImageAgainstMosquittoWithItsConfiguration() {
		Map<String, Object> compose = new Yaml().load(read(COMPOSE));
		Map<String, Object> services = map(compose.get("services"));
		Map<String, Object> mosquitto = map(services.get("mosquitto"));
		Map<String, Object> herald = map(services.get("herald"));
		assertThat(mosquitto.get("image")).isEqualTo("eclipse-mosquitto:2");
		assertThat(list(mosquitto.get("volumes"))).contains("./mosquitto.conf:/mosquitto/config/mosquitto.conf:ro");
		// Publishers on the host reach the broker on its loopback only.
		assertThat(list(mosquitto.get("ports"))).allMatch((port) -> port.startsWith("127.0.0.1:"));
		assertThat(herald.get("build")).isEqualTo("..");
		Map<String, Object> environment = map(herald.get("environment"));
		assertThat(environment).containsEntry("HERALD_BROKER_EMBEDDED", "false")
			.containsEntry("HERALD_BROKER_URL", "tcp://mosquitto:" + mosquittoPort());
		assertThat(list(herald.get("ports"))).containsExactly(
				defaults.getProperty("server.port") + ":" + defaults.getProperty("server.port"),
				defaults.getProperty("herald.relay.listener.port") + ":"
						+ defaults.getProperty("herald.relay.listener.port"));
		assertThat(list(herald.get("volumes"))).anyMatch((volume) -> volume.endsWith(":" + one("VOLUME").argument()));
	}

	@Test
	void heraldStartsFromTheLayersAsTheImageRunsItAndPassesItsHealthCheck(@TempDir Path root) throws Exception {
		Path layers = extractLayers(root);
		// The run stage copies every layer the build stage made, in Boot's order.
		List<String> copied = new ArrayList<>();
		Path app = Files.createDirectories(root.resolve("app"));
		Pattern layerCopy = Pattern.compile("--from=build /layers/([a-z-]+)/ \\./");
		for (Instruction copy : runStage().stream().filter((i) -> i.keyword().equals("COPY")).toList()) {
			Matcher layer = layerCopy.matcher(copy.argument());
			if (layer.matches()) {
				copied.add(layer.group(1));
				FileSystemUtils.copyRecursively(layers.resolve(layer.group(1)), app);
			}
			else {
				String[] paths = copy.argument().split(" ");
				Files.copy(Path.of(paths[0]), app.resolve(paths[1]).resolve(paths[0]));
			}
		}
		assertThat(copied).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
				"application");
		try (Stream<Path> made = Files.list(layers)) {
			assertThat(made.map((layer) -> layer.getFileName().toString())).containsExactlyInAnyOrderElementsOf(copied);
		}
		// As in the image: the working directory is root's, only the volume is Herald's.
		Path data = Files.createDirectories(app.resolve("data"));
		unprivileged(data);
		int port = freePort();
		Path brokerDirectory = Files.createDirectories(root.resolve("mosquitto"));
		int brokerPort = startMosquitto(brokerDirectory);

		Map<String, String> environment = new LinkedHashMap<>();
		Map<String, Object> compose = new Yaml().load(read(COMPOSE));
		map(map(map(compose.get("services")).get("herald")).get("environment"))
			.forEach((name, value) -> environment.put(name, String.valueOf(value)));
		// The compose network's broker is this test's, on loopback.
		environment.put("HERALD_BROKER_URL", environment.get("HERALD_BROKER_URL")
			.replace("mosquitto:" + mosquittoPort(), "127.0.0.1:" + brokerPort));
		environment.put("SERVER_PORT", String.valueOf(port));
		environment.put("HERALD_RELAY_LISTENER_PORT", String.valueOf(freePort()));
		environment.put("HOME", app.toString());
		List<String> entryPoint = new ArrayList<>(
				List.of(JsonMapper.shared().readValue(one("ENTRYPOINT").argument(), String[].class)));
		assertThat(entryPoint.get(0)).isEqualTo("java");
		entryPoint.set(0, ProcessHandle.current().info().command().orElseThrow());
		Path log = root.resolve("herald.log");
		Process herald = start(entryPoint, app, environment, log);

		String healthUrl = healthUrl().replace(":" + defaults.getProperty("server.port") + "/", ":" + port + "/");
		String check = one("HEALTHCHECK").argument().replaceFirst("^.*CMD ", "");
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			assertThat(herald.isAlive()).as("Herald is running; its log: %s", Files.readString(log)).isTrue();
			ProcessBuilder healthCheck = new ProcessBuilder("sh", "-c", check).redirectErrorStream(true);
			healthCheck.environment().put("HERALD_HEALTH_URL", healthUrl);
			Process health = healthCheck.start();
			assertThat(health.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(health.exitValue()).as("health check exit status").isZero();
		});
		// Ready means the broker of the compose file is connected.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestHttp.get("https://localhost:" + port + "/actuator/health/readiness").getStatusCode())
				.isEqualTo(HttpStatus.OK));
		assertThat(data.resolve("jwt-secret")).isRegularFile();
		assertThat(app.resolve(defaults.getProperty("herald.tls.self-signed-directory"))).isDirectory();
		assertThat(Files.readString(log)).contains("Herald ready").contains("127.0.0.1:" + brokerPort);
	}

	private Path extractLayers(Path root) throws Exception {
		Path jar;
		try (Stream<Path> built = Files.list(Path.of("target"))) {
			jar = built.filter((path) -> path.getFileName().toString().matches("herald-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No jar in target: run after package"));
		}
		String build = all("RUN").get(1).argument();
		assertThat(build).contains("cp target/herald-*.jar herald.jar")
			.contains("java -Djarmode=tools -jar herald.jar extract --layers --destination /layers");
		Path staged = root.resolve("build");
		Files.createDirectories(staged);
		Files.copy(jar, staged.resolve("herald.jar"));
		Process extract = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Djarmode=tools",
				"-jar", "herald.jar", "extract", "--layers", "--destination", root.resolve("layers").toString())
			.directory(staged.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(extract.getInputStream().readAllBytes());
		assertThat(extract.waitFor()).as(output).isZero();
		return root.resolve("layers");
	}

	private int startMosquitto(Path directory) throws IOException {
		Path binary = RequiredBinary.find("mosquitto", "mosquitto");
		int port = freePort();
		Path data = Files.createDirectories(directory.resolve("data"));
		unprivileged(data);
		// deploy/mosquitto.conf, with its port and data folder moved for this test, and
		// its
		// listener on loopback.
		String config = read(MOSQUITTO_CONF)
			.replaceFirst("(?m)^listener " + mosquittoPort() + "$", "listener " + port + " 127.0.0.1")
			.replaceFirst("(?m)^persistence_location .*$", "persistence_location " + data + "/");
		assertThat(config).contains("listener " + port + " 127.0.0.1").contains("persistence true");
		Path file = directory.resolve("mosquitto.conf");
		Files.writeString(file, config);
		Path log = directory.resolve("mosquitto.log");
		start(List.of(binary.toString(), "-c", file.toString()), directory, Map.of(), log);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
		return port;
	}

	private Process start(List<String> command, Path directory, Map<String, String> environment, Path log)
			throws IOException {
		List<String> line = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			line.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=" + UNPRIVILEGED, "--clear-groups"));
		}
		line.addAll(command);
		ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	/** Owned by the unprivileged user, with every folder above it open to it. */
	private static void unprivileged(Path directory) throws IOException {
		if (!"root".equals(System.getProperty("user.name"))) {
			return;
		}
		UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
		Files.setOwner(directory, users.lookupPrincipalByName(UNPRIVILEGED));
		for (Path parent = directory.getParent(); parent != null && !parent.equals(Path.of("/tmp"))
				&& !parent.equals(Path.of("/")); parent = parent.getParent()) {
			Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
		}
	}

	private static String mosquittoPort() {
		Matcher listener = Pattern.compile("(?m)^listener (\\d+)$").matcher(read(MOSQUITTO_CONF));
		assertThat(listener.find()).as("a listener in deploy/mosquitto.conf").isTrue();
		return listener.group(1);
	}

	private static String healthUrl() {
		return one("ENV").argument().replaceFirst("^HERALD_HEALTH_URL=", "");
	}

	private static List<Instruction> runStage() {
		int from = instructions.lastIndexOf(all("FROM").get(1));
		return instructions.subList(from, instructions.size());
	}

	private static int indexOf(List<Instruction> stage, String keyword) {
		for (int i = 0; i < stage.size(); i++) {
			if (stage.get(i).keyword().equals(keyword)) {
				return i;
			}
		}
		throw new AssertionError("No " + keyword + " in " + stage);
	}

	private static List<Instruction> all(String keyword) {
		return instructions.stream().filter((instruction) -> instruction.keyword().equals(keyword)).toList();
	}

	private static Instruction one(String keyword) {
		return one(keyword, instructions);
	}

	private static Instruction one(String keyword, List<Instruction> among) {
		List<Instruction> found = among.stream()
			.filter((instruction) -> instruction.keyword().equals(keyword))
			.toList();
		assertThat(found).as(keyword).hasSize(1);
		return found.get(0);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	@SuppressWarnings("unchecked")
	private static List<String> list(Object value) {
		return (List<String>) value;
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * One Dockerfile instruction, its continuation lines joined and comments left out.
	 */
	private record Instruction(String keyword, String argument) {

		static List<Instruction> parse(String dockerfile) {
			List<Instruction> parsed = new ArrayList<>();
			StringBuilder current = new StringBuilder();
			for (String line : dockerfile.split("\n")) {
				String trimmed = line.trim();
				if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
					continue;
				}
				if (trimmed.endsWith("\\")) {
					current.append(trimmed, 0, trimmed.length() - 1).append(' ');
					continue;
				}
				current.append(trimmed);
				String[] parts = current.toString().replaceAll(" +", " ").split(" ", 2);
				parsed.add(new Instruction(parts[0].toUpperCase(), (parts.length > 1) ? parts[1].trim() : ""));
				current.setLength(0);
			}
			return parsed;
		}

	}

}
