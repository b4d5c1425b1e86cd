package dev.tributary.helm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code values.schema.json} and the chart's own checks refuse values that cannot work, naming them. */
class ValuesSchemaTest {

    /** An install's arguments: the secrets from an existing Secret, then {@code more}. */
    private static String[] installing(String... more) {
        List<String> args = new ArrayList<>(List.of("--set", "secrets.existingSecret=tributary-secrets"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        assertRefused(Helm.lint(List.of(), "--set", "replicas=three"), "/replicas", "want integer");
        assertRefused(Helm.template(List.of(), installing("--set-string", "podDisruptionBudget.enabled=yes")),
                "/podDisruptionBudget/enabled", "want boolean");
    }

    @Test
    void anUnknownTopLevelValueIsRefused() {
        assertRefused(Helm.lint(List.of(), "--set", "replica=3"), "additional properties 'replica' not allowed");
        assertRefused(Helm.template(List.of(), installing("--set", "replica=3")),
                "additional properties 'replica' not allowed");
    }

    @Test
    void anUnknownNestedValueAndAValueOutsideItsEnumAreRefused() {
        assertRefused(Helm.lint(List.of(), "--set", "secrets.masterkey=x"), "additional properties 'masterkey' not allowed");
        assertRefused(Helm.lint(List.of(), "--set", "migrations.mode=sometimes"), "/migrations/mode");
    }

    @Test
    void anInstallWithoutTheDatabaseOrTheMasterKeyIsRefusedNamingTheValue() {
        assertRefused(Helm.template(List.of()), "secrets.databaseUrl is required");
        assertRefused(Helm.template(List.of(), "--set", "secrets.databaseUrl=jdbc:postgresql://db/t",
                "--set", "secrets.databaseUsername=u"), "secrets.masterKey is required");
    }

    @Test
    void aGracePeriodNoLongerThanTheShutdownTimeoutIsRefused() {
        assertRefused(Helm.template(List.of(), installing("--set", "terminationGracePeriodSeconds=45")),
                "terminationGracePeriodSeconds must be longer than scheduler.shutdownTimeoutSeconds");
    }

    @Test
    void aRollingUpdateThatWouldBreakThePodDisruptionBudgetIsRefused() {
        assertRefused(Helm.template(List.of(), installing("--set", "rollingUpdate.maxUnavailable=2")),
                "rollingUpdate.maxUnavailable must not exceed podDisruptionBudget.maxUnavailable");
    }

    private static void assertRefused(Helm.Result result, String... named) {
        assertNotEquals(0, result.exitCode(), result.output());
        for (String text : named) {
            assertTrue(result.output().contains(text), "expected \"" + text + "\" in:\n" + result.output());
        }
    }
}
