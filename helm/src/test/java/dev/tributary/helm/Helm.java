package dev.tributary.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The {@code helm} binary the build installed ({@code .ci/install-helm.sh}), run on the chart in {@code helm/tributary}. */
final class Helm {

    static final Path BINARY = Path.of(System.getProperty("tributary.helm"));
    static final Path CHART = Path.of(System.getProperty("tributary.chart"));
    static final String RELEASE = "tributary";

    record Result(int exitCode, String output) {
    }

    private Helm() {
    }

    /** The chart's values files for its tests, {@code ci/*.yaml}. */
    static List<Path> ciValues() {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result lint(List<Path> valuesFiles, String... more) {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", CHART.toString()));
        valuesFiles.forEach(f -> args.addAll(List.of("--values", f.toString())));
        args.addAll(List.of(more));
        return run(args);
    }

    /** {@code helm template} of the release with these values files (later ones win) and extra arguments. */
    static Result template(List<Path> valuesFiles, String... more) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", "sync"));
        valuesFiles.forEach(f -> args.addAll(List.of("--values", f.toString())));
        args.addAll(List.of(more));
        return run(args);
    }

    /** The rendered release; the rendering must succeed. */
    static Manifests render(List<Path> valuesFiles, String... more) {
        Result result = template(valuesFiles, more);
        if (result.exitCode() != 0) {
            throw new AssertionError("helm template failed:\n" + result.output());
        }
        return Manifests.parse(result.output());
    }

    private static Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("helm did not finish: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
