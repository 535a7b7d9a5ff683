package io.lazyworkqueue.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.lazyworkqueue.LazyWorkqueue;
import io.lazyworkqueue.WorkqueueConfig;
import io.lazyworkqueue.autoconfigure.LazyWorkqueueProperties.Queue;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor;
import io.lazyworkqueue.spring.LazyWorkqueueTaskExecutorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that IDEs complete from names every queue setting under
 * lazy-workqueue.defaults, with a description, the engine's default and the words an enum takes.
 */
class ConfigurationMetadataTests {

    private static DocumentContext metadata;

    @BeforeAll
    static void readTheGeneratedMetadata() throws IOException {
        for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (json.contains("\"lazy-workqueue.queues\"")) {
                    metadata = JsonPath.parse(json);
                }
            }
        }
        assertThat(metadata).as("the starter's generated metadata").isNotNull();
    }

    @Test
    void everyQueueSettingIsNamedUnderTheDefaultsWithADescription() {
        List<String> settings = settingsOf(Queue.class, "");
        assertThat(settings).contains("cpus", "idle-timeout", "shutdown.await-termination-period")
            .hasSizeGreaterThan(10);
        for (String setting : settings) {
            Map<String, Object> property = property("lazy-workqueue.defaults." + setting);
            assertThat((String) property.get("description")).as(setting).isNotBlank();
        }
    }

    @Test
    void everyEnumSettingHasAHintForEachOfItsWords() {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(Queue.class)) {
            Class<?> type = descriptor.getPropertyType();
            if (type.isEnum()) {
                String name = "lazy-workqueue.defaults." + DataObjectPropertyName.toDashedForm(descriptor.getName());
                List<String> words = metadata.read("$.hints[?(@.name == '" + name + "')].values[*].value");
                assertThat(words).as(name).containsExactlyInAnyOrderElementsOf(Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .toList());
            }
        }
    }

    @Test
    void theDefaultsShownAreTheOnesAQueueRunsWith() {
        WorkqueueConfig engine;
        try (LazyWorkqueue workqueue = LazyWorkqueue.builder("defaults").build()) {
            engine = workqueue.config();
        }
        assertThat(duration("lazy-workqueue.defaults.idle-timeout")).isEqualTo(engine.idleTimeout());
        assertThat(word("lazy-workqueue.defaults.affinity")).isEqualTo(engine.affinity().name());
        assertThat(word("lazy-workqueue.defaults.cpu-selection")).isEqualTo(engine.cpuSelection().name());
        assertThat(word("lazy-workqueue.defaults.rejection")).isEqualTo(engine.rejection().name());
        assertThat(duration("lazy-workqueue.defaults.watchdog-threshold")).isEqualTo(engine.watchdogThreshold());
        assertThat(duration("lazy-workqueue.defaults.concurrency-threshold")).isEqualTo(engine.concurrencyThreshold());
        assertThat(property("lazy-workqueue.defaults.dedicated").get("defaultValue")).isEqualTo(engine.dedicated());
        LazyWorkqueueTaskExecutor executor = new LazyWorkqueueTaskExecutorBuilder().build("defaults");
        try {
            assertThat(duration("lazy-workqueue.defaults.shutdown.await-termination-period"))
                .isEqualTo(executor.getAwaitTerminationPeriod());
            assertThat(property("lazy-workqueue.defaults.shutdown.accept-tasks-after-context-close").get("defaultValue"))
                .isEqualTo(false);
        }
        finally {
            executor.shutdown();
        }
    }

    @Test
    void maxActiveHasNoSingleDefaultSinceAnOrderedQueueRunsOneTaskAtATime() {
        Map<String, Object> maxActive = property("lazy-workqueue.defaults.max-active");

        assertThat(maxActive).doesNotContainKey("defaultValue");
        assertThat((String) maxActive.get("description")).contains("on one CPU at once", "16 by default",
                "1, the only value allowed, for an ordered queue");
    }

    @Test
    void theManagementKeysTheStarterReadsAreDescribed() {
        Map<String, Object> health = property("management.health.workqueues.enabled");
        assertThat(health).containsEntry("type", "java.lang.Boolean").containsEntry("defaultValue", true);
        assertThat((String) health.get("description")).isNotBlank();
        assertThat((String) property("management.endpoint.workqueues.access").get("description")).isNotBlank();
    }

    @Test
    void theDefaultQueueIsHintedAsAQueueBean() {
        List<String> targets = metadata.read(
                "$.hints[?(@.name == 'lazy-workqueue.default-queue')].providers[?(@.name == 'spring-bean-reference')]"
                        + ".parameters.target");
        assertThat(targets).containsExactly("io.lazyworkqueue.spring.LazyWorkqueueTaskExecutor");
    }

    /** @return the dashed keys of the bean's settings, nested ones as a.b */
    private static List<String> settingsOf(Class<?> type, String prefix) {
        List<String> settings = new ArrayList<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            String key = prefix + DataObjectPropertyName.toDashedForm(descriptor.getName());
            if (descriptor.getWriteMethod() != null) {
                settings.add(key);
            }
            else if (descriptor.getPropertyType().getEnclosingClass() == LazyWorkqueueProperties.class) {
                settings.addAll(settingsOf(descriptor.getPropertyType(), key + "."));
            }
        }
        return settings;
    }

    private static Map<String, Object> property(String name) {
        List<Map<String, Object>> found = metadata.read("$.properties[?(@.name == '" + name + "')]");
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static Duration duration(String name) {
        return DurationStyle.detectAndParse((String) property(name).get("defaultValue"));
    }

    private static String word(String name) {
        return ((String) property(name).get("defaultValue")).toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
