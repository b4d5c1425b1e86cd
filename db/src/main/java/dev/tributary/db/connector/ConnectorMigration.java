package dev.tributary.db.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One numbered SQL file of a connector: {@code V<version>__<description>.sql}. */
public record ConnectorMigration(String connector, int version, String description, String fileName, String sql) {

    private static final Pattern NAME = Pattern.compile("^V(\\d+)__([A-Za-z0-9_]+)\\.sql$");

    static Optional<ConnectorMigration> of(String connector, String fileName, String sql) {
        Matcher matcher = NAME.matcher(fileName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ConnectorMigration(connector, Integer.parseInt(matcher.group(1)),
                matcher.group(2).replace('_', ' '), fileName, sql));
    }

    public String checksum() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sql.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
