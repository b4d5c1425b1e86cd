package dev.tributary.api;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever stopped start-up into one line an operator can act on: the
 * setting at fault (with its environment variable) and why, without a stack trace.
 */
final class StartupFailure {

    private static final Pattern CONFIGURATION_PREFIX = Pattern.compile("ConfigurationProperties\\(\"([^\"]+)\"\\)");
    private static final Pattern VIOLATION = Pattern.compile("^\\s*[\\w.$]+\\.(\\w+) - (.+)$", Pattern.MULTILINE);
    private static final Pattern UNCONVERTIBLE = Pattern.compile(
            "Failed to inject value for parameter \\[(\\w+)\\] of (?:method \\[\\w+\\] of )?class: ([\\w.$]+)");
    /** Framework configuration classes whose bean path does not spell their prefix. */
    private static final Map<String, String> FRAMEWORK_PREFIXES = Map.of(
            "io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration", "micronaut.server",
            "io.micronaut.http.server.HttpServerConfiguration", "micronaut.server");
    private static final String DATASOURCE_SETTINGS =
            "DATASOURCES_DEFAULT_URL, DATASOURCES_DEFAULT_USERNAME, DATASOURCES_DEFAULT_PASSWORD";

    private StartupFailure() {
    }

    static String describe(Throwable failure) {
        Throwable root = rootCause(failure);
        if (root instanceof ConnectException || hasSqlState(root, "08")) {
            return "database unreachable (check " + DATASOURCE_SETTINGS + "): " + firstLine(root);
        }
        if (hasSqlState(root, "28")) {
            return "database refused the credentials (check " + DATASOURCE_SETTINGS + "): " + firstLine(root);
        }
        String violations = constraintViolations(failure);
        if (violations != null) {
            return violations;
        }
        String unconvertible = unconvertibleSetting(failure);
        if (unconvertible != null) {
            return unconvertible;
        }
        if (mentions(failure, "javax.sql.DataSource")) {
            return "DATASOURCES_DEFAULT_URL: " + firstLine(root);
        }
        return firstLine(root);
    }

    /** "tributary.scheduler.threads (TRIBUTARY_SCHEDULER_THREADS) must be ..." for a configuration record that failed validation. */
    private static String constraintViolations(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            int list = message.indexOf("List of constraint violations:");
            String prefix = innermostConfigurationPrefix(message);
            if (list < 0 || prefix == null) {
                continue;
            }
            List<String> settings = new ArrayList<>();
            Matcher violation = VIOLATION.matcher(message.substring(list));
            while (violation.find()) {
                String property = prefix + "." + kebab(violation.group(1));
                settings.add("invalid setting " + property + " (" + environmentVariable(property) + "): "
                        + violation.group(2).strip());
            }
            if (!settings.isEmpty()) {
                return String.join("; ", settings);
            }
        }
        return null;
    }

    /** "invalid setting micronaut.server.port (MICRONAUT_SERVER_PORT): ..." for a value of the wrong type. */
    private static String unconvertibleSetting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            Matcher matcher = UNCONVERTIBLE.matcher(message);
            if (!matcher.find()) {
                continue;
            }
            String prefix = FRAMEWORK_PREFIXES.getOrDefault(matcher.group(2), innermostConfigurationPrefix(message));
            if (prefix != null) {
                String property = prefix + "." + kebab(matcher.group(1));
                return "invalid setting " + property + " (" + environmentVariable(property) + "): "
                        + "not a valid value for this setting";
            }
        }
        return null;
    }

    /** The bean path ends at the configuration record that failed. */
    private static String innermostConfigurationPrefix(String message) {
        Matcher matcher = CONFIGURATION_PREFIX.matcher(message);
        String prefix = null;
        while (matcher.find()) {
            prefix = matcher.group(1);
        }
        return prefix;
    }

    private static boolean mentions(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSqlState(Throwable root, String classPrefix) {
        return root instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(classPrefix);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String environmentVariable(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
