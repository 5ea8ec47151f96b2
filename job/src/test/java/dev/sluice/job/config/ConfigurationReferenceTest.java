package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps {@code docs/configuration.md} true: its tables are generated from the {@link ConfigOption}s
 * of this package, and this test fails when the page and the code disagree.
 *
 * <h2>What is compared</h2>
 *
 * <ul>
 *   <li><b>Keys, defaults, descriptions.</b> Every class under {@code dev.sluice.job.config} (sub
 *       packages included) with a {@code GROUP} or {@code GROUP_PREFIX} constant is a property
 *       group; its options are its {@code ALL} list, or, without one, its public static {@code
 *       ConfigOption} fields. Classes naming the same group are merged. Each group's table between
 *       {@code <!-- BEGIN GENERATED: <group> -->} and {@code <!-- END GENERATED: <group> -->} must
 *       be exactly what {@link #table} renders; the prose around the tables is the page's own.
 *   <li><b>Keys the job accepts.</b> The generated key set of every group must equal the keys
 *       {@link SluiceConfig#from} accepts for it, read from its unknown-key error, so a key
 *       registered outside the {@code *Options} classes, or one they declare but the job rejects,
 *       fails here. Every {@code ConfigOption} field of the package must be in some group.
 *   <li><b>Ranges.</b> A range in a description ({@code 1–128}, {@code 0 or 100–86400000}, {@code
 *       At least 1}) is checked against the job: both bounds are accepted and one past each is
 *       rejected. A number option whose description states no range must accept -1 and a large
 *       value, so a range the job enforces cannot be missing from the page.
 * </ul>
 *
 * <h2>Regenerating</h2>
 *
 * After changing an option, run with {@code -Dsluice.docs.regenerate=true}: the tables are
 * rewritten in place (a new group is appended at the end as a new section) and the test passes.
 *
 * <pre>
 * mvn -B -q -pl job -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.docs.regenerate=true
 * </pre>
 */
class ConfigurationReferenceTest {

    static final Path PAGE = Path.of("..", "docs", "configuration.md");
    static final String REGENERATE = "sluice.docs.regenerate";

    private static final String PACKAGE = ConfigurationReferenceTest.class.getPackageName();
    private static final Pattern BLOCK =
            Pattern.compile(
                    "<!-- BEGIN GENERATED: (\\S+) -->\\n(.*?)<!-- END GENERATED: \\1 -->",
                    Pattern.DOTALL);

    /** The group used to probe an {@code Output.<name>} group. */
    private static final String PROBE_OUTPUT = "probe";

    @Test
    void thePageListsEveryKeyWithItsDefaultAndDescriptionAsTheCodeDeclaresThem() throws Exception {
        Map<String, List<ConfigOption<?>>> groups = groups();
        String page = Files.readString(PAGE);
        String generated = regenerated(page, groups);

        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(PAGE, generated);
            return;
        }
        if (!page.equals(generated)) {
            fail(
                    "docs/configuration.md differs from the *Options classes (%s); run this test"
                            + " with -D%s=true to regenerate it",
                    firstDifference(page, generated), REGENERATE);
        }
    }

    private static String firstDifference(String page, String generated) {
        String[] have = page.split("\n", -1);
        String[] want = generated.split("\n", -1);
        for (int i = 0; i < Math.max(have.length, want.length); i++) {
            String h = i < have.length ? have[i] : "<end of page>";
            String w = i < want.length ? want[i] : "<end of page>";
            if (!h.equals(w)) {
                return String.format("line %d:%n  page: %s%n  code: %s", i + 1, h, w);
            }
        }
        return "no line differs";
    }

    @Test
    void everyGroupListsExactlyTheKeysTheJobAccepts() throws Exception {
        for (Map.Entry<String, List<ConfigOption<?>>> group : groups().entrySet()) {
            Set<String> documented =
                    group.getValue().stream()
                            .map(ConfigOption::key)
                            .collect(Collectors.toCollection(TreeSet::new));
            assertThat(acceptedKeys(group.getKey()))
                    .as("keys the job accepts in group %s", group.getKey())
                    .isEqualTo(documented);
        }
    }

    @Test
    void everyOptionOfThePackageBelongsToADocumentedGroup() throws Exception {
        Set<ConfigOption<?>> documented = Collections.newSetFromMap(new IdentityHashMap<>());
        groups().values().forEach(documented::addAll);
        List<String> missing = new ArrayList<>();
        for (Class<?> type : configClasses()) {
            for (Field field : optionFields(type)) {
                if (!documented.contains(field.get(null))) {
                    missing.add(type.getSimpleName() + "." + field.getName());
                }
            }
        }
        assertThat(missing).as("options in no group, so neither accepted nor documented").isEmpty();
    }

    @Test
    void everyRangeOnThePageIsTheRangeTheJobEnforces() throws Exception {
        assertAccepted(baseline(), "the baseline configuration");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<ConfigOption<?>>> group : groups().entrySet()) {
            for (ConfigOption<?> option : group.getValue()) {
                if (isNumber(option)) {
                    checkRange(group.getKey(), option, problems);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // ---------------------------------------------------------------- discovery

    /** Group id (as on the page) → its options, in declaration order. */
    static Map<String, List<ConfigOption<?>>> groups() throws Exception {
        Map<String, LinkedHashSet<ConfigOption<?>>> groups = new LinkedHashMap<>();
        for (Class<?> type : configClasses()) {
            String group = groupId(type);
            if (group == null) {
                continue;
            }
            Set<ConfigOption<?>> options =
                    groups.computeIfAbsent(group, g -> new LinkedHashSet<>());
            List<ConfigOption<?>> all = allList(type);
            if (all != null) {
                options.addAll(all);
            } else {
                for (Field field : optionFields(type)) {
                    options.add((ConfigOption<?>) field.get(null));
                }
            }
        }
        Map<String, List<ConfigOption<?>>> out = new LinkedHashMap<>();
        groups.forEach((group, options) -> out.put(group, List.copyOf(options)));
        return out;
    }

    private static String groupId(Class<?> type) throws Exception {
        Object group = constant(type, "GROUP");
        if (group instanceof String) {
            return (String) group;
        }
        Object prefix = constant(type, "GROUP_PREFIX");
        return prefix instanceof String ? prefix + "<name>" : null;
    }

    private static Object constant(Class<?> type, String name) throws Exception {
        try {
            Field field = type.getField(name);
            return Modifier.isStatic(field.getModifiers()) ? field.get(null) : null;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<ConfigOption<?>> allList(Class<?> type) throws Exception {
        Object all = constant(type, "ALL");
        return all instanceof List ? (List<ConfigOption<?>>) all : null;
    }

    private static List<Field> optionFields(Class<?> type) {
        return Arrays.stream(type.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()))
                .filter(f -> ConfigOption.class.isAssignableFrom(f.getType()))
                .collect(Collectors.toList());
    }

    /** The top-level classes of the configuration package and its sub-packages, by name. */
    private static List<Class<?>> configClasses() throws Exception {
        String path = PACKAGE.replace('.', '/');
        List<Class<?>> classes = new ArrayList<>();
        for (URL url :
                Collections.list(
                        ConfigurationReferenceTest.class.getClassLoader().getResources(path))) {
            if (!"file".equals(url.getProtocol())) {
                continue;
            }
            Path root = Path.of(url.toURI());
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files =
                        walk.filter(p -> p.toString().endsWith(".class"))
                                .filter(p -> !p.getFileName().toString().contains("$"))
                                .sorted()
                                .collect(Collectors.toList());
            }
            for (Path file : files) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                String name =
                        PACKAGE
                                + "."
                                + relative.substring(0, relative.length() - 6).replace('/', '.');
                Class<?> type = Class.forName(name);
                if (!name.endsWith("Test") && Modifier.isPublic(type.getModifiers())) {
                    classes.add(type);
                }
            }
        }
        Map<String, Class<?>> unique = new LinkedHashMap<>();
        classes.forEach(c -> unique.putIfAbsent(c.getName(), c));
        assertThat(unique).as("classes found in %s", PACKAGE).isNotEmpty();
        return new ArrayList<>(unique.values());
    }

    // ---------------------------------------------------------------- rendering

    /** The page with every generated block replaced; new groups appended as new sections. */
    static String regenerated(String page, Map<String, List<ConfigOption<?>>> groups) {
        Set<String> seen = new LinkedHashSet<>();
        Matcher m = BLOCK.matcher(page);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String group = m.group(1);
            List<ConfigOption<?>> options = groups.get(group);
            if (options == null) {
                fail(
                        "docs/configuration.md has a table for group %s, which the code does not"
                                + " have (groups: %s)",
                        group, groups.keySet());
            }
            seen.add(group);
            m.appendReplacement(out, Matcher.quoteReplacement(block(group, options)));
        }
        m.appendTail(out);
        for (Map.Entry<String, List<ConfigOption<?>>> group : groups.entrySet()) {
            if (!seen.contains(group.getKey())) {
                out.append("\n## `")
                        .append(group.getKey())
                        .append("`\n\n")
                        .append(block(group.getKey(), group.getValue()));
            }
        }
        return out.toString();
    }

    private static String block(String group, List<ConfigOption<?>> options) {
        return "<!-- BEGIN GENERATED: "
                + group
                + " -->\n"
                + table(options)
                + "<!-- END GENERATED: "
                + group
                + " -->";
    }

    static String table(List<ConfigOption<?>> options) {
        StringBuilder out = new StringBuilder("| Key | Default | Description |\n|---|---|---|\n");
        for (ConfigOption<?> option : options) {
            out.append("| `")
                    .append(option.key())
                    .append("` | ")
                    .append(defaultText(option))
                    .append(" | ")
                    .append(escape(description(option)))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String defaultText(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "—";
        }
        Object value = option.defaultValue();
        String text = value instanceof Enum ? ((Enum<?>) value).name() : String.valueOf(value);
        return text.isEmpty() ? "`\"\"`" : "`" + text.replace("|", "\\|") + "`";
    }

    static String description(ConfigOption<?> option) {
        StringBuilder out = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (!(block instanceof TextElement)) {
                fail("option %s: only plain text descriptions are rendered", option.key());
            }
            TextElement text = (TextElement) block;
            if (!text.getElements().isEmpty()) {
                fail("option %s: descriptions with %%s elements are not rendered", option.key());
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(text.getFormat());
        }
        return out.toString();
    }

    /** Markdown table cell: pipes and angle brackets (which would read as HTML) escaped. */
    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "\\<").replace("\n", " ");
    }

    // ---------------------------------------------------------------- the job's own view

    /** A configuration the job accepts, using no environment, file or network. */
    private static Map<String, Properties> baseline() {
        Map<String, Properties> groups = new LinkedHashMap<>();
        group(groups, SourceOptions.GROUP).setProperty("stream.name", "reference-probe");
        group(groups, "S3").setProperty("bucket", "reference-probe");
        Properties warehouse = group(groups, "Warehouse");
        warehouse.setProperty("dialect", "postgres");
        warehouse.setProperty("jdbc.url", "jdbc:postgresql://127.0.0.1:5432/probe");
        warehouse.setProperty("username", "probe");
        warehouse.setProperty("password", "probe");
        warehouse.setProperty("table", "public.probe");
        warehouse.setProperty("columns", "a,b");
        return groups;
    }

    private static Properties group(Map<String, Properties> groups, String id) {
        return groups.computeIfAbsent(id, g -> new Properties());
    }

    /** The group id in a configuration: {@code Output.<name>} becomes a concrete output. */
    private static String concreteGroup(String group) {
        return group.replace("<name>", PROBE_OUTPUT);
    }

    /** The baseline with {@code key=value} set in {@code group}. */
    private static Map<String, Properties> with(String group, String key, String value) {
        Map<String, Properties> groups = baseline();
        String id = concreteGroup(group);
        Properties properties = group(groups, id);
        boolean firehoseKey = FirehoseOutputOptions.ALL.stream().anyMatch(o -> o.key().equals(key));
        if (!id.equals(group) && firehoseKey) {
            // A FIREHOSE output's keys are probed in a FIREHOSE output, which takes no prefix.
            properties.setProperty(OutputOptions.TYPE.key(), "FIREHOSE");
            properties.setProperty(
                    FirehoseOutputOptions.DELIVERY_STREAM_NAME.key(), "reference-probe");
            properties.setProperty(FirehoseOutputOptions.REGION.key(), "us-east-1");
        } else if (!id.equals(group) && !key.equals("prefix")) {
            properties.setProperty("prefix", "reference-probe/");
        }
        properties.setProperty(key, value);
        return groups;
    }

    private static Set<String> acceptedKeys(String group) {
        String unknown = "sluice.reference.unknown.key";
        String message = rejection(with(group, unknown, "x"));
        assertThat(message).as("group %s with key %s", group, unknown).isNotNull();
        Matcher known = Pattern.compile("known keys are \\[([^\\]]*)\\]").matcher(message);
        if (!known.find()) {
            fail("cannot read the known keys of group %s from: %s", group, message);
        }
        return Arrays.stream(known.group(1).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The job's error message, or null when it accepts the configuration. */
    private static String rejection(Map<String, Properties> groups) {
        try {
            SluiceConfig.from(groups);
            return null;
        } catch (InvalidConfigurationException e) {
            return e.getMessage();
        }
    }

    private static void assertAccepted(Map<String, Properties> groups, String what) {
        assertThat(rejection(groups)).as(what).isNull();
    }

    // ---------------------------------------------------------------- ranges

    private static final Pattern OR_RANGE = Pattern.compile("\\b(\\d+) or (\\d+)–(\\d+)\\b");
    private static final Pattern RANGE = Pattern.compile("(?<![\\d^])(\\d+)–(\\d+)\\b");
    private static final Pattern KEY_RANGE = Pattern.compile("\\b([a-z][a-z0-9.]*[a-z])–(\\d+)\\b");
    private static final Pattern AT_LEAST = Pattern.compile("(?i)\\bat least (\\d+)\\b");

    private static boolean isNumber(ConfigOption<?> option) {
        Type type = optionType(option);
        return type == Integer.class || type == Long.class;
    }

    private static Type optionType(ConfigOption<?> option) {
        try {
            java.lang.reflect.Method clazz = ConfigOption.class.getDeclaredMethod("getClazz");
            clazz.setAccessible(true);
            return (Class<?>) clazz.invoke(option);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void checkRange(String group, ConfigOption<?> option, List<String> problems) {
        String text = description(option);
        String key = group + " " + option.key();
        long max = optionType(option) == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
        List<Long> accepted = new ArrayList<>();
        List<Long> rejected = new ArrayList<>();
        Matcher m;
        if ((m = OR_RANGE.matcher(text)).find()) {
            long single = Long.parseLong(m.group(1));
            long low = Long.parseLong(m.group(2));
            long high = Long.parseLong(m.group(3));
            accepted.addAll(List.of(single, low, high));
            if (single + 1 < low) {
                rejected.add(low - 1);
            }
            rejected.addAll(List.of(single - 1, high + 1));
        } else if ((m = RANGE.matcher(text)).find()) {
            long low = Long.parseLong(m.group(1));
            long high = Long.parseLong(m.group(2));
            accepted.addAll(List.of(low, high));
            rejected.addAll(List.of(low - 1, high + 1));
        } else if ((m = KEY_RANGE.matcher(text)).find()) {
            long high = Long.parseLong(m.group(2));
            // The lower bound is another key's value: at the other key's default.
            accepted.add(high);
            rejected.add(high + 1);
        } else if ((m = AT_LEAST.matcher(text)).find()) {
            long low = Long.parseLong(m.group(1));
            accepted.addAll(List.of(low, max));
            rejected.add(low - 1);
        } else {
            // No range stated: the job must not enforce one.
            accepted.addAll(List.of(-1L, max));
        }
        for (long value : accepted) {
            String message = rejection(withCompanions(group, option.key(), value));
            if (message != null) {
                problems.add(
                        key
                                + " = "
                                + value
                                + " is within the page's range but rejected: "
                                + message);
            }
        }
        for (long value : rejected) {
            if (rejection(withCompanions(group, option.key(), value)) == null) {
                problems.add(key + " = " + value + " is outside the page's range but accepted");
            }
        }
    }

    /**
     * The baseline with {@code key=value}, and with every key the description names as a bound
     * (e.g. {@code retry.backoff.max.ms} for {@code retry.backoff.initial.ms}) set so that the
     * value under test is the only constraint: a key bounded by this one is raised to the same
     * value.
     */
    private static Map<String, Properties> withCompanions(String group, String key, long value) {
        Map<String, Properties> groups = with(group, key, Long.toString(value));
        Properties properties = groups.get(concreteGroup(group));
        try {
            for (ConfigOption<?> other : groups().get(group)) {
                Matcher bound = KEY_RANGE.matcher(description(other));
                if (bound.find() && bound.group(1).equals(key) && isNumber(other)) {
                    long high = Long.parseLong(bound.group(2));
                    properties.setProperty(
                            other.key(), Long.toString(Math.min(Math.max(value, 0), high)));
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return groups;
    }
}
