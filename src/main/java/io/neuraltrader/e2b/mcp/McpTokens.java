package io.neuraltrader.e2b.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens of the HTTP endpoint, read from a file (the mounted Secret's {@code tokens.yaml}):
 *
 * <pre>
 * tokens:
 *   - name: research-agent        # shows in logs and errors instead of the token
 *     token: "a long random string"
 *     namespaces: [trading]       # omitted or empty: every namespace
 *     readOnly: true              # default false
 * </pre>
 *
 * Only SHA-256 digests of the tokens are kept, compared in constant time. The file is read again when it
 * changes (a Secret update reaches a mounted volume without a restart). Errors name the entry, never a token.
 */
public final class McpTokens {
  private record Entry(String name, byte[] digest, Set<String> namespaces, boolean readOnly) {}

  private final Path file;
  private volatile List<Entry> entries;
  private volatile FileTime loadedAt;

  private McpTokens(Path file) {
    this.file = file;
  }

  /** Reads the file; {@link IllegalArgumentException} (naming the problem, not a token) when it is unusable. */
  public static McpTokens load(Path file) {
    McpTokens tokens = new McpTokens(file);
    tokens.reload();
    if (tokens.entries.isEmpty()) {
      throw new IllegalArgumentException("MCP tokens file " + file + " has no tokens");
    }
    return tokens;
  }

  public int size() {
    return entries.size();
  }

  /** The caller of an {@code Authorization} header value, or empty when it carries no known bearer token. */
  public Optional<Caller> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String presented = authorization.substring(7).trim();
    if (presented.isEmpty()) {
      return Optional.empty();
    }
    reloadIfChanged();
    byte[] digest = sha256(presented);
    Entry match = null;
    for (Entry e : entries) {
      // Every entry is compared, so the time taken does not tell which one (or whether one) matched.
      if (MessageDigest.isEqual(e.digest(), digest)) {
        match = e;
      }
    }
    if (match == null) {
      return Optional.empty();
    }
    String dflt = match.namespaces().size() == 1 ? match.namespaces().iterator().next() : "default";
    return Optional.of(new Caller(match.name(), match.namespaces(), match.readOnly(), dflt));
  }

  private void reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!modified.equals(loadedAt)) {
        reload();
      }
    } catch (IOException | IllegalArgumentException e) {
      // Keep the tokens last read: a Secret update in flight must not lock every client out.
    }
  }

  private synchronized void reload() {
    JsonNode root;
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(file);
      root = new YAMLMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read MCP tokens file " + file + ": " + e.getClass().getSimpleName());
    }
    JsonNode list = root == null ? null : root.get("tokens");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("MCP tokens file " + file + " needs a list 'tokens'");
    }
    List<Entry> read = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String name = t.path("name").asText("");
      String where = "MCP tokens file " + file + ", entry " + (i + 1) + (name.isEmpty() ? "" : " (" + name + ")");
      if (!name.matches("[A-Za-z0-9][-A-Za-z0-9_.]{0,62}")) {
        throw new IllegalArgumentException(where + ": 'name' must be 1-63 of [-A-Za-z0-9_.]");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException(where + ": duplicate name");
      }
      String token = t.path("token").asText("");
      if (token.length() < 16) {
        throw new IllegalArgumentException(where + ": 'token' must be at least 16 characters");
      }
      Set<String> namespaces = new LinkedHashSet<>();
      t.path("namespaces").forEach(n -> namespaces.add(n.asText()));
      read.add(new Entry(name, sha256(token), namespaces, t.path("readOnly").asBoolean(false)));
    }
    entries = List.copyOf(read);
    loadedAt = modified;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
