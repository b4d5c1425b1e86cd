package dev.tributary.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code helm lint --strict}: the default values and each of the chart's test values files. */
class ChartLintTest {

    @Test
    void theDefaultValuesLint() {
        var result = Helm.lint(List.of());
        assertEquals(0, result.exitCode(), result.output());
    }

    @ParameterizedTest
    @MethodSource("dev.tributary.helm.Helm#ciValues")
    void eachTestValuesFileLints(Path values) {
        var result = Helm.lint(List.of(values));
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void theVariantsTheIssueNamesHaveValuesFiles() {
        var names = Helm.ciValues().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("existing-secret-hpa-servicemonitor-values.yaml", "split-roles-values.yaml",
                "startup-ingress-networkpolicy-values.yaml", "three-node-cluster-values.yaml")), names.toString());
    }
}
