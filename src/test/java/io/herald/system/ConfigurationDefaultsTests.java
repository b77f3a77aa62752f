package io.herald.system;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.herald.HeraldApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.UrlResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ObjectUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The top-level {@code application.yml}, which operators read as the reference, holds the
 * defaults the {@code herald.*} records declare: every property it sets is one a record
 * defines and is set to that record's default (compared after conversion, as Herald binds
 * it), every property with a default is set in it, every one without is shown as a
 * commented example that Herald accepts, and the generated IDE metadata describes each
 * property and agrees on its default.
 */
class ConfigurationDefaultsTests {

	/**
	 * Properties that {@code application.yml} deliberately sets to something other than
	 * the record's default, each with the reason.
	 */
	private static final Map<String, String> SET_OTHERWISE_ON_PURPOSE = Map.of();

	/**
	 * Properties with a default that {@code application.yml} deliberately leaves out,
	 * each with the reason.
	 */
	private static final Map<String, String> LEFT_OUT_ON_PURPOSE = Map.of();

	/**
	 * A comment that is a property, such as {@code # url: tcp://mosquitto:1883}: a
	 * lower-case key, a colon, then the example value. Prose comments start otherwise.
	 */
	private static final Pattern COMMENTED_PROPERTY = Pattern.compile("(?m)^(\\s*)# ([a-z][a-z0-9-]*:(?: .*)?)$");

	/** Javadoc tags and HTML, which a property's description must not carry. */
	private static final Pattern JAVADOC_MARKUP = Pattern.compile("\\{@|</?[a-z]+>");

	private static final ConfigurationPropertyName HERALD = ConfigurationPropertyName.of("herald");

	private final Map<Class<?>, String> records = records();

	private final Map<ConfigurationPropertyName, Property> properties = properties(this.records);

	private final Map<Class<?>, Object> defaults = bind(this.records, List.of());

	@Test
	void everyPropertySetInApplicationYmlIsOneARecordDefines() throws IOException {
		Set<ConfigurationPropertyName> unknown = new LinkedHashSet<>(set(applicationYml()));
		unknown.removeAll(this.properties.keySet());
		assertThat(unknown).as("herald.* properties in application.yml that no record defines").isEmpty();
	}

	@Test
	void applicationYmlSetsEveryPropertyToTheRecordsDefault() throws IOException {
		PropertySource<?> file = applicationYml();
		Map<Class<?>, Object> configured = bind(this.records, List.of(file));
		List<String> drift = new ArrayList<>();
		for (ConfigurationPropertyName name : set(file)) {
			Property property = this.properties.get(name);
			if (property == null) {
				continue;
			}
			Object value = property.valueIn(configured);
			Object defaultValue = property.valueIn(this.defaults);
			boolean same = ObjectUtils.nullSafeEquals(value, defaultValue);
			if (same == SET_OTHERWISE_ON_PURPOSE.containsKey(name.toString())) {
				drift.add(name + ": application.yml has " + ObjectUtils.nullSafeToString(value)
						+ ", the record's default is " + ObjectUtils.nullSafeToString(defaultValue)
						+ (same ? " (listed as set otherwise on purpose)" : ""));
			}
		}
		assertThat(drift).as("properties whose value in application.yml is not the record's default").isEmpty();
		assertThat(SET_OTHERWISE_ON_PURPOSE.keySet()).as("exceptions that application.yml does not set")
			.allSatisfy((name) -> assertThat(set(file)).contains(ConfigurationPropertyName.of(name)));
	}

	@Test
	void everyPropertyWithADefaultIsSetInApplicationYml() throws IOException {
		Set<ConfigurationPropertyName> set = set(applicationYml());
		List<String> missing = new ArrayList<>();
		for (Property property : this.properties.values()) {
			if (property.valueIn(this.defaults) == null) {
				continue;
			}
			boolean leftOut = LEFT_OUT_ON_PURPOSE.containsKey(property.name().toString());
			if (set.contains(property.name()) == leftOut) {
				missing.add(property.name() + (leftOut ? " (set, though listed as left out on purpose)" : ""));
			}
		}
		assertThat(missing).as("properties with a default that application.yml does not set").isEmpty();
	}

	@Test
	void everyPropertyWithoutADefaultIsACommentedExampleInApplicationYml() throws IOException {
		PropertySource<?> file = applicationYml();
		String text = heraldResource("application.yml").getContentAsString(StandardCharsets.UTF_8);
		PropertySource<?> withExamples = load(new ByteArrayResource(
				COMMENTED_PROPERTY.matcher(text).replaceAll("$1$2").getBytes(StandardCharsets.UTF_8),
				"application.yml with its examples uncommented"));
		Set<ConfigurationPropertyName> examples = new LinkedHashSet<>(set(withExamples));
		examples.removeAll(set(file));
		Set<ConfigurationPropertyName> withoutDefault = new LinkedHashSet<>();
		this.properties.values()
			.stream()
			.filter((property) -> property.valueIn(this.defaults) == null)
			.forEach((property) -> withoutDefault.add(property.name()));
		assertThat(examples).as("commented examples in application.yml, against the properties without a default")
			.containsExactlyInAnyOrderElementsOf(withoutDefault);
		// Herald must accept every example as it stands.
		bind(this.records, List.of(withExamples));
	}

	@Test
	void metadataDescribesEveryPropertyWithTheRecordsDefault() throws IOException {
		Map<ConfigurationPropertyName, Map<String, Object>> metadata = metadata();
		assertThat(metadata.keySet()).as("herald.* properties in the generated metadata")
			.containsExactlyInAnyOrderElementsOf(this.properties.keySet());
		List<String> problems = new ArrayList<>();
		metadata.forEach((name, entry) -> {
			String description = (String) entry.get("description");
			if (!StringUtils.hasText(description)) {
				problems.add(name + " has no description (its record's Javadoc @param)");
			}
			else if (JAVADOC_MARKUP.matcher(description).find()) {
				// The processor copies the Javadoc as it is, and IDEs show it so.
				problems.add(name + " has Javadoc markup in its description: " + description);
			}
			if (entry.containsKey("defaultValue")) {
				Object value = entry.get("defaultValue");
				String text = (value instanceof List<?> list) ? StringUtils.collectionToCommaDelimitedString(list)
						: String.valueOf(value);
				Property property = this.properties.get(name);
				Object bound = property.valueIn(
						bind(this.records, List.of(new MapPropertySource("metadata", Map.of(name.toString(), text)))));
				if (!ObjectUtils.nullSafeEquals(bound, property.valueIn(this.defaults))) {
					problems.add(name + " has the default " + text + " in the metadata, the record's is "
							+ ObjectUtils.nullSafeToString(property.valueIn(this.defaults)));
				}
			}
		});
		assertThat(problems).as("generated configuration metadata").isEmpty();
	}

	/** Every {@code @ConfigurationProperties} record of Herald, with its prefix. */
	private static Map<Class<?>, String> records() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		Map<Class<?>, String> records = new LinkedHashMap<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(HeraldApplication.class.getPackageName())) {
			Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
			assertThat(type.isRecord()).as(type + " is a record").isTrue();
			records.put(type, MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix"));
		}
		assertThat(records).as("@ConfigurationProperties records").isNotEmpty();
		return records;
	}

	/** The properties the records bind, by name, as the binder names them. */
	private static Map<ConfigurationPropertyName, Property> properties(Map<Class<?>, String> records) {
		Map<ConfigurationPropertyName, Property> properties = new LinkedHashMap<>();
		records.forEach((type, prefix) -> collect(prefix, type, type, List.of(), properties));
		return properties;
	}

	private static void collect(String prefix, Class<?> root, Class<?> type, List<Method> path,
			Map<ConfigurationPropertyName, Property> properties) {
		for (RecordComponent component : type.getRecordComponents()) {
			Name name = ReflectionUtils.findField(type, component.getName()).getAnnotation(Name.class);
			String property = prefix + "."
					+ ((name != null) ? name.value() : DataObjectPropertyName.toDashedForm(component.getName()));
			Method accessor = component.getAccessor();
			ReflectionUtils.makeAccessible(accessor);
			List<Method> to = new ArrayList<>(path);
			to.add(accessor);
			if (component.getType().isRecord()) {
				collect(property, root, component.getType(), to, properties);
			}
			else {
				ConfigurationPropertyName key = ConfigurationPropertyName.of(property);
				properties.put(key, new Property(key, root, List.copyOf(to)));
			}
		}
	}

	/** Binds each record from the given sources, as Herald's context does. */
	private static Map<Class<?>, Object> bind(Map<Class<?>, String> records, List<PropertySource<?>> sources) {
		Binder binder = new Binder(ConfigurationPropertySources.from(sources));
		Map<Class<?>, Object> bound = new LinkedHashMap<>();
		records.forEach((type, prefix) -> bound.put(type, binder.bindOrCreate(prefix, type)));
		return bound;
	}

	/** The {@code herald.*} properties a source sets, list elements as their list. */
	private static Set<ConfigurationPropertyName> set(PropertySource<?> source) {
		Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
		for (String key : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
			ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
			while (name.isLastElementIndexed()) {
				name = name.getParent();
			}
			if (HERALD.isAncestorOf(name)) {
				names.add(name);
			}
		}
		return names;
	}

	private static PropertySource<?> applicationYml() throws IOException {
		return load(heraldResource("application.yml"));
	}

	/** The first document of a YAML file: the one without profile or condition. */
	private static PropertySource<?> load(Resource resource) throws IOException {
		List<PropertySource<?>> documents = new YamlPropertySourceLoader().load(resource.getDescription(), resource);
		assertThat(documents).as(resource.getDescription()).isNotEmpty();
		return documents.get(0);
	}

	/**
	 * The {@code herald.*} entries of the metadata the configuration processor wrote for
	 * Herald's classes.
	 */
	@SuppressWarnings("unchecked")
	private static Map<ConfigurationPropertyName, Map<String, Object>> metadata() throws IOException {
		Resource resource = heraldResource("META-INF/spring-configuration-metadata.json");
		assertThat(resource.exists()).as(resource + " (written by spring-boot-configuration-processor)").isTrue();
		Map<String, Object> json = JsonParserFactory.getJsonParser()
			.parseMap(resource.getContentAsString(StandardCharsets.UTF_8));
		Map<ConfigurationPropertyName, Map<String, Object>> entries = new LinkedHashMap<>();
		for (Object property : (List<Object>) json.get("properties")) {
			Map<String, Object> entry = (Map<String, Object>) property;
			ConfigurationPropertyName name = ConfigurationPropertyName.of((String) entry.get("name"));
			if (HERALD.isAncestorOf(name)) {
				entries.put(name, entry);
			}
		}
		return entries;
	}

	/**
	 * A file beside Herald's classes: the {@code application.yml} Herald loads, not
	 * another jar's.
	 */
	private static Resource heraldResource(String path) throws IOException {
		return new UrlResource(HeraldApplication.class.getProtectionDomain().getCodeSource().getLocation())
			.createRelative(path);
	}

	/**
	 * A property a record binds: its name, and how to reach its value from the bound
	 * record.
	 */
	private record Property(ConfigurationPropertyName name, Class<?> root, List<Method> path) {

		Object valueIn(Map<Class<?>, Object> bound) {
			Object value = bound.get(this.root);
			for (Method accessor : this.path) {
				value = ReflectionUtils.invokeMethod(accessor, value);
			}
			return value;
		}

	}

}
