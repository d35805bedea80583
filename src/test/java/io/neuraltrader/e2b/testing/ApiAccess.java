package io.neuraltrader.e2b.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.neuraltrader.e2b.E2BOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One permission the operator exercised: an RBAC verb on a group/resource/subresource, in a namespace ("" for
 * all namespaces or a cluster-scoped object) and on an object name ("" for collections). {@code watch} and
 * {@code leaderElection} say how the operator ran, {@code origin} why the permission is needed: "request" (it
 * sent it) or the server-side check a request triggers.
 *
 * <p>Recorded during the end-to-end tests into {@code target/rbac-requests/<test class>.tsv} and compared with the
 * chart's and deploy/'s rules by {@code RbacIT}.
 */
public record ApiAccess(String watch, boolean leaderElection, String verb, String group, String resource,
    String subresource, String namespace, String name, String origin) {

  /** Where every recorder writes; the build empties it before the tests (pom.xml, maven-clean-plugin). */
  public static final Path DIR = Path.of("target", "rbac-requests");
  /** {@code watch} of an operator watching all namespaces. */
  public static final String ALL_NAMESPACES = "*";
  static final String REQUEST = "request";
  static final String OWNER_REFERENCE = "blockOwnerDeletion";
  static final String LEASE_CHECK = "lease-access-check";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How the operator ran: which namespaces it watched and whether it campaigned for a Lease. */
  public record Mode(String watch, boolean leaderElection, String leaseNamespace, String leaseName) {
    public static Mode of(Collection<String> watchNamespaces, boolean leaderElection, String leaseNamespace,
        String leaseName) {
      String watch = watchNamespaces.isEmpty() ? ALL_NAMESPACES : String.join(",", new TreeSet<>(watchNamespaces));
      return new Mode(watch, leaderElection, leaseNamespace, leaseName);
    }
  }

  public String toTsv() {
    return String.join("\t", watch, Boolean.toString(leaderElection), verb, group, resource, subresource, namespace,
        name, origin);
  }

  public static ApiAccess fromTsv(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 9) {
      throw new IllegalArgumentException("not an access record: " + line);
    }
    return new ApiAccess(f[0], Boolean.parseBoolean(f[1]), f[2], f[3], f[4], f[5], f[6], f[7], f[8]);
  }

  /** "group/resource[/subresource]", as RBAC rules spell resources. */
  public String groupResource() {
    return group + "/" + resource + (subresource.isEmpty() ? "" : "/" + subresource);
  }

  public boolean nonResource() {
    return resource.startsWith("/");
  }

  /**
   * The permissions one HTTP request needs: the request itself, plus what the API server checks because of its
   * body (update on an owner's finalizers for a blockOwnerDeletion owner reference; the verbs JOSDK's leader
   * election insists on when it reviews its own rules).
   */
  public static List<ApiAccess> of(Mode mode, String method, String pathAndQuery, String body) {
    URI uri = URI.create(pathAndQuery);
    List<String> segments = Arrays.stream(uri.getRawPath().split("/")).filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
    List<ApiAccess> out = new ArrayList<>();
    int start;
    String group;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      start = 2;
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      start = 3;
    } else {
      out.add(new ApiAccess(mode.watch(), mode.leaderElection(), method.toLowerCase(Locale.ROOT), "",
          uri.getRawPath(), "", "", "", REQUEST));
      return out;
    }
    List<String> rest = segments.subList(start, segments.size());
    String namespace = "";
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.isEmpty() ? "" : rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String subresource = rest.size() > 2 ? rest.get(2) : "";
    String verb = switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD" -> !name.isEmpty() ? "get" : watching(uri.getRawQuery()) ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase(Locale.ROOT);
    };
    out.add(new ApiAccess(mode.watch(), mode.leaderElection(), verb, group, resource, subresource, namespace, name,
        REQUEST));
    if (body != null && !body.isBlank() && Set.of("create", "update", "patch").contains(verb)) {
      out.addAll(impliedByBody(mode, namespace, body));
    }
    if (verb.equals("create") && group.equals("authorization.k8s.io") && resource.equals("selfsubjectrulesreviews")
        && mode.leaderElection()) {
      // JOSDK's LeaderElectionManager.checkLeaseAccess reviews the rules in the lease namespace and refuses to
      // start unless get, create and update on the Lease are all granted.
      for (String v : List.of("get", "create", "update")) {
        out.add(new ApiAccess(mode.watch(), true, v, "coordination.k8s.io", "leases", "", mode.leaseNamespace(),
            v.equals("create") ? "" : mode.leaseName(), LEASE_CHECK));
      }
    }
    return out;
  }

  private static boolean watching(String query) {
    if (query == null) {
      return false;
    }
    return Arrays.stream(query.split("&")).anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
  }

  /**
   * With the OwnerReferencesPermissionEnforcement admission plugin an API server only accepts an owner reference
   * with blockOwnerDeletion=true from a client that may update the owner's finalizers subresource.
   */
  private static List<ApiAccess> impliedByBody(Mode mode, String namespace, String body) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (IOException e) {
      return List.of();
    }
    List<ApiAccess> out = new ArrayList<>();
    collectOwners(tree, owner -> {
      String apiVersion = owner.path("apiVersion").asText();
      String ownerGroup = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      plural(owner.path("kind").asText()).ifPresent(plural -> out.add(new ApiAccess(mode.watch(),
          mode.leaderElection(), "update", ownerGroup, plural, "finalizers", namespace,
          owner.path("name").asText(), OWNER_REFERENCE)));
    });
    return out;
  }

  private static void collectOwners(JsonNode node, java.util.function.Consumer<JsonNode> owner) {
    if (node.isObject() && node.path("blockOwnerDeletion").asBoolean(false) && node.has("kind")
        && node.has("apiVersion")) {
      owner.accept(node);
    }
    node.elements().forEachRemaining(child -> collectOwners(child, owner));
  }

  private static Optional<String> plural(String kind) {
    return E2BOperator.KINDS.stream().filter(k -> HasMetadata.getKind(k).equals(kind))
        .map(HasMetadata::getPlural).findFirst();
  }

  /** Appends records (deduplicated by the caller) to {@code target/rbac-requests/<source>.tsv}. */
  public static void write(String source, Collection<ApiAccess> accesses) {
    if (accesses.isEmpty()) {
      return;
    }
    synchronized (ApiAccess.class) {
      try {
        Files.createDirectories(DIR);
        String text = accesses.stream().map(ApiAccess::toTsv).sorted().collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(DIR.resolve(source + ".tsv"), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Every record written so far, with the file each came from. */
  public static List<Recorded> readAll() throws IOException {
    List<Recorded> all = new ArrayList<>();
    if (!Files.isDirectory(DIR)) {
      return all;
    }
    try (var files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
        String source = file.getFileName().toString().replaceFirst("\\.tsv$", "");
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            all.add(new Recorded(source, fromTsv(line)));
          }
        }
      }
    }
    return all;
  }

  /** A record and the test class (file) that produced it. */
  public record Recorded(String source, ApiAccess access) {}

  /** The test class that started the harness: the nearest caller whose name ends in Test or IT. */
  static String callerTestClass() {
    return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
        .map(c -> c.contains("$") ? c.substring(0, c.indexOf('$')) : c)
        .filter(c -> c.endsWith("Test") || c.endsWith("IT"))
        .findFirst())
        .map(c -> c.substring(c.lastIndexOf('.') + 1))
        .orElse("unknown");
  }
}
