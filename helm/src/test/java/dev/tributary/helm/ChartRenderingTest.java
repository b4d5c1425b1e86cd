package dev.tributary.helm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.tributary.helm.Manifests.list;
import static dev.tributary.helm.Manifests.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each rendering of the chart holds, against what a clustered deployment needs. */
class ChartRenderingTest {

    private static Manifests render(String ciValues) {
        return Helm.render(List.of(Helm.CHART.resolve("ci").resolve(ciValues)));
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return list(Manifests.podSpec(workload), "containers").get(0);
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> workload) {
        return list(container(workload), "env").stream()
                .collect(Collectors.toMap(v -> String.valueOf(v.get("name")), v -> v));
    }

    @Test
    void theThreeNodeClusterIsOneHardenedDeploymentMigratedByAHookJob() {
        Manifests release = render("three-node-cluster-values.yaml");
        var deployment = release.get("Deployment", Helm.RELEASE);
        assertEquals(3, map(deployment, "spec").get("replicas"));
        var pod = Manifests.podSpec(deployment);
        var container = container(deployment);
        var env = env(deployment);

        assertEquals("metadata.name", map(env.get("TRIBUTARY_NODE_ID"), "valueFrom", "fieldRef").get("fieldPath"));
        assertEquals("true", env.get("TRIBUTARY_SCHEDULER_WORKER").get("value"));
        assertEquals("false", env.get("TRIBUTARY_MIGRATE_ON_START").get("value"));
        assertEquals("/health/liveness", map(container, "livenessProbe", "httpGet").get("path"));
        assertEquals("/health/readiness", map(container, "readinessProbe", "httpGet").get("path"));
        assertEquals("/health/liveness", map(container, "startupProbe", "httpGet").get("path"));
        assertTrue(map(container, "resources", "requests").containsKey("memory"));
        assertTrue(map(container, "resources", "limits").containsKey("memory"));

        assertEquals(true, map(pod, "securityContext").get("runAsNonRoot"));
        assertEquals(true, map(container, "securityContext").get("readOnlyRootFilesystem"));
        assertEquals(false, map(container, "securityContext").get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), map(container, "securityContext", "capabilities").get("drop"));
        assertTrue(list(container, "volumeMounts").stream().anyMatch(m -> "/tmp".equals(m.get("mountPath"))));
        assertTrue(list(pod, "volumes").stream().anyMatch(v -> "tmp".equals(v.get("name")) && v.containsKey("emptyDir")));

        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        String shutdown = String.valueOf(env.get("TRIBUTARY_SCHEDULER_SHUTDOWN_TIMEOUT").get("value"));
        assertTrue(grace > Integer.parseInt(shutdown.replace("s", "")), grace + " vs " + shutdown);
        assertEquals("kubernetes.io/hostname", map(list(pod, "affinity", "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution").get(0), "podAffinityTerm").get("topologyKey"));
        var pdb = release.get("PodDisruptionBudget", Helm.RELEASE);
        int rollingUnavailable = (Integer) map(deployment, "spec", "strategy", "rollingUpdate").get("maxUnavailable");
        assertTrue(rollingUnavailable <= (Integer) map(pdb, "spec").get("maxUnavailable"));

        var job = release.get("Job", Helm.RELEASE + "-migrate");
        assertEquals("pre-install,pre-upgrade", map(job, "metadata", "annotations").get("helm.sh/hook"));
        assertEquals("before-hook-creation,hook-succeeded", map(job, "metadata", "annotations").get("helm.sh/hook-delete-policy"));
        assertEquals(List.of("migrate"), container(job).get("args"));
        var jobSecret = release.get("Secret", Helm.RELEASE + "-migrate");
        assertTrue(Integer.parseInt(String.valueOf(map(jobSecret, "metadata", "annotations").get("helm.sh/hook-weight")))
                < Integer.parseInt(String.valueOf(map(job, "metadata", "annotations").get("helm.sh/hook-weight"))),
                "the Job's Secret exists before the Job");
        assertEquals(List.of(), release.ofKind("HorizontalPodAutoscaler"));
    }

    @Test
    void anExistingSecretIsReadAndNoSecretIsRendered() {
        Manifests release = render("existing-secret-hpa-servicemonitor-values.yaml");
        assertEquals(List.of(), release.ofKind("Secret"));
        var deployment = release.get("Deployment", Helm.RELEASE);
        for (String variable : List.of("DATASOURCES_DEFAULT_URL", "TRIBUTARY_MASTER_KEY", "TRIBUTARY_ADMIN_API_KEY")) {
            assertEquals("tributary-secrets", map(env(deployment).get(variable), "valueFrom", "secretKeyRef").get("name"));
        }
        assertEquals("tributary-secrets", map(env(release.get("Job", Helm.RELEASE + "-migrate")).get("TRIBUTARY_MASTER_KEY"),
                "valueFrom", "secretKeyRef").get("name"));
        assertFalse(map(deployment, "spec").containsKey("replicas"), "the HPA owns the replicas");
        var hpa = release.get("HorizontalPodAutoscaler", Helm.RELEASE);
        assertEquals(Helm.RELEASE, map(hpa, "spec", "scaleTargetRef").get("name"));
        var monitor = release.get("ServiceMonitor", Helm.RELEASE);
        assertEquals("/prometheus", list(monitor, "spec", "endpoints").get(0).get("path"));
        assertEquals("http", list(monitor, "spec", "endpoints").get(0).get("port"));
    }

    @Test
    void splitRolesAreAnApiDeploymentBehindTheServiceAndAWorkerDeployment() {
        Manifests release = render("split-roles-values.yaml");
        var api = release.get("Deployment", Helm.RELEASE + "-api");
        var worker = release.get("Deployment", Helm.RELEASE + "-worker");
        assertEquals("false", env(api).get("TRIBUTARY_SCHEDULER_WORKER").get("value"));
        assertEquals("true", env(worker).get("TRIBUTARY_SCHEDULER_WORKER").get("value"));
        assertEquals(3, map(worker, "spec").get("replicas"));
        assertEquals(Helm.RELEASE + "-api", map(release.get("HorizontalPodAutoscaler", Helm.RELEASE + "-api"),
                "spec", "scaleTargetRef").get("name"));
        assertEquals(1, release.ofKind("HorizontalPodAutoscaler").size());
        assertEquals(2, release.ofKind("PodDisruptionBudget").size());
        assertEquals("2Gi", map(container(worker), "resources", "limits").get("memory"));

        Map<String, Object> selector = map(release.get("Service", Helm.RELEASE), "spec", "selector");
        assertTrue(labels(api).entrySet().containsAll(selector.entrySet()), "the Service sends traffic to the API pods");
        assertFalse(labels(worker).entrySet().containsAll(selector.entrySet()), "and not to the workers");
    }

    @Test
    void startupModeMigratesInThePodsAndDeclaredAppsTakeCredentialsFromASecret() {
        Manifests release = render("startup-ingress-networkpolicy-values.yaml");
        assertEquals(List.of(), release.ofKind("Job"));
        var deployment = release.get("Deployment", Helm.RELEASE);
        assertEquals("true", env(deployment).get("TRIBUTARY_MIGRATE_ON_START").get("value"));

        String declared = String.valueOf(map(release.get("ConfigMap", Helm.RELEASE), "data").get("declared-apps.yml"));
        assertTrue(declared.contains("credentials-env") && declared.contains("ACME_ORDERS_TOKEN"), declared);
        assertEquals("/etc/tributary/declared-apps.yml", env(deployment).get("MICRONAUT_CONFIG_FILES").get("value"));
        String credentials = String.valueOf(map(list(container(deployment), "envFrom").get(0), "secretRef").get("name"));
        assertEquals("orders-api-token-of-acme", release.secretData(credentials).get("ACME_ORDERS_TOKEN"));

        var ingress = release.get("Ingress", Helm.RELEASE);
        assertEquals("tributary.example.com", list(ingress, "spec", "rules").get(0).get("host"));
        var policy = release.get("NetworkPolicy", Helm.RELEASE);
        assertEquals(List.of("Ingress", "Egress"), map(policy, "spec").get("policyTypes"));
    }

    @Test
    void theChartRunsTheProjectsVersion() {
        var chart = Manifests.parse(read(Helm.CHART.resolve("Chart.yaml"))).objects().get(0);
        assertEquals("v2", chart.get("apiVersion"));
        assertEquals(System.getProperty("tributary.version"), chart.get("appVersion"));
        var deployment = Helm.render(List.of(Helm.CHART.resolve("ci/three-node-cluster-values.yaml")))
                .get("Deployment", Helm.RELEASE);
        assertEquals("registry.example.com/tributary:" + System.getProperty("tributary.version"), container(deployment).get("image"));
    }

    private static Map<String, Object> labels(Map<String, Object> deployment) {
        return map(deployment, "spec", "template", "metadata", "labels");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
