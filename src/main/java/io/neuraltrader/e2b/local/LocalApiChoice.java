package io.neuraltrader.e2b.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which Kubernetes API local mode runs against. {@code LOCAL_API=auto} (the default) takes a real kube-apiserver
 * with etcd (fabric8 kube-api-test) when its binaries are in the kube-api-test directory or kube-api-test fetches
 * them within {@code LOCAL_API_FETCH_TIMEOUT}, and the in-memory API otherwise; {@code memory} and
 * {@code kube-apiserver} ask for one, and the latter without usable binaries is a configuration error.
 *
 * <p>The kube-api-test directory ({@code KUBE_API_TEST_DIR}, default {@code ~/.kubeapitest}, as kube-api-test
 * itself reads it) holds {@code k8s/<version><platform>/} with {@code kube-apiserver}, {@code etcd} and
 * {@code kubectl}, the layout setup-envtest also writes; naming such a version directory itself works too.
 */
public final class LocalApiChoice {
  static final List<String> BINARIES = List.of("kube-apiserver", "etcd", "kubectl");
  static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(30);

  private LocalApiChoice() {}

  /** What {@code LOCAL_API} asks for. */
  public enum Mode {
    AUTO, MEMORY, KUBE_APISERVER;

    static Mode parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "", "auto" -> AUTO;
        case "memory", "in-memory" -> MEMORY;
        case "kube-apiserver" -> KUBE_APISERVER;
        default -> throw new IllegalArgumentException("LOCAL_API takes auto, memory or kube-apiserver, got " + text);
      };
    }
  }

  /**
   * The choice's inputs: {@code dir} is the kube-api-test directory and {@code named} whether KUBE_API_TEST_DIR
   * named it; a zero {@code fetchTimeout} never fetches.
   */
  public record Settings(Mode mode, Path dir, boolean named, Duration fetchTimeout) {
    /** From LOCAL_API, KUBE_API_TEST_DIR and LOCAL_API_FETCH_TIMEOUT; a bad value is an IllegalArgumentException. */
    public static Settings fromEnvironment(Map<String, String> env, Path home) {
      Mode mode = Mode.parse(env.getOrDefault("LOCAL_API", ""));
      String dir = env.getOrDefault("KUBE_API_TEST_DIR", "").trim();
      String timeout = env.getOrDefault("LOCAL_API_FETCH_TIMEOUT", "").trim();
      Duration fetch = DEFAULT_FETCH_TIMEOUT;
      if (!timeout.isEmpty()) {
        long seconds;
        try {
          seconds = Long.parseLong(timeout);
        } catch (NumberFormatException e) {
          seconds = -1;
        }
        if (seconds < 0) {
          throw new IllegalArgumentException("LOCAL_API_FETCH_TIMEOUT takes seconds (0 never fetches), got " + timeout);
        }
        fetch = Duration.ofSeconds(seconds);
      }
      return new Settings(mode, dir.isEmpty() ? home.resolve(".kubeapitest") : Path.of(dir), !dir.isEmpty(), fetch);
    }
  }

  /** Usable binaries: kube-api-test's directory and the version directory's name without the platform. */
  public record Binaries(Path testDir, String version, Path directory) {}

  /**
   * What is on disk decides: {@code binaries} when a complete set is there (the newest), else why not, and whether
   * to try fetching them. {@code memory} is true when the in-memory API runs without a further attempt.
   */
  public record Decision(Mode mode, Optional<Binaries> binaries, boolean fetch, String reason) {
    public boolean memory() {
      return binaries.isEmpty() && !fetch;
    }
  }

  /** The decision for {@code settings} on a machine whose kube-api-test platform suffix is {@code platform}. */
  public static Decision decide(Settings settings, String platform) {
    if (settings.mode() == Mode.MEMORY) {
      return new Decision(Mode.MEMORY, Optional.empty(), false, "LOCAL_API=memory");
    }
    Lookup lookup = find(settings.dir(), platform);
    if (lookup.binaries() != null) {
      Binaries b = lookup.binaries();
      return new Decision(settings.mode(), Optional.of(b), false, "binaries " + b.version() + " in " + b.directory());
    }
    String where = (settings.named() ? "KUBE_API_TEST_DIR=" : "") + settings.dir();
    String reason = lookup.problem() == null ? "no kube-apiserver binaries in " + where : where + ": "
        + lookup.problem();
    return new Decision(settings.mode(), Optional.empty(), !settings.fetchTimeout().isZero(), reason);
  }

  /**
   * Fetches binaries into a kube-api-test directory, giving up after {@code timeout}; empty, or what happened
   * instead ("failed: ...").
   */
  @FunctionalInterface
  public interface Fetcher {
    Optional<String> fetch(Path dir, Duration timeout);
  }

  /** The outcome: the binaries to start, or the in-memory API and why. */
  public record Choice(Optional<Binaries> binaries, String reason) {}

  /**
   * {@link #decide} and, when nothing is on disk, one bounded fetch and a second look.
   *
   * @throws LocalMode.StartupFailure (exit code 2) when {@code LOCAL_API=kube-apiserver} and there is nothing
   *     usable; the message is one line saying what to set
   */
  public static Choice resolve(Settings settings, String platform, Fetcher fetcher) throws LocalMode.StartupFailure {
    Decision decision = decide(settings, platform);
    String reason = decision.reason();
    if (decision.binaries().isEmpty() && decision.fetch()) {
      Optional<String> failed = fetcher.fetch(settings.dir(), settings.fetchTimeout());
      Decision again = decide(settings, platform);
      if (again.binaries().isPresent()) {
        return new Choice(again.binaries(), "fetched " + again.reason());
      }
      reason = reason + ", and fetching them " + failed.orElse("left none there");
    }
    if (decision.binaries().isPresent()) {
      return new Choice(decision.binaries(), decision.reason());
    }
    if (settings.mode() == Mode.KUBE_APISERVER) {
      throw new LocalMode.StartupFailure(2, "LOCAL_API=kube-apiserver: " + reason + "; " + hint(platform)
          + " (or LOCAL_API=memory)", null);
    }
    return new Choice(Optional.empty(), settings.mode() == Mode.MEMORY ? reason : reason + "; " + hint(platform));
  }

  /** What to set when nothing usable is there. */
  static String hint(String platform) {
    return "set KUBE_API_TEST_DIR to a dir with k8s/<version>" + platform + "/{" + String.join(",", BINARIES) + "}";
  }

  private record Lookup(Binaries binaries, String problem) {}

  private static Lookup find(Path dir, String platform) {
    if (!Files.isDirectory(dir)) {
      return new Lookup(null, Files.exists(dir) ? "not a directory" : null);
    }
    if (Files.exists(dir.resolve("kube-apiserver"))) {
      // A version directory itself: usable only where kube-api-test looks for it (.../k8s/<version><platform>).
      Path parent = dir.toAbsolutePath().getParent();
      String name = dir.getFileName().toString();
      String missing = missing(dir);
      if (missing != null) {
        return new Lookup(null, "lacks " + missing);
      }
      if (parent == null || !parent.getFileName().toString().equals("k8s") || !name.endsWith(platform)
          || parent.getParent() == null) {
        return new Lookup(null, "holds the binaries itself; kube-api-test wants them in k8s/<version>" + platform
            + "/ below the directory KUBE_API_TEST_DIR names");
      }
      return new Lookup(new Binaries(parent.getParent(), name.substring(0, name.length() - platform.length()), dir),
          null);
    }
    Path k8s = dir.resolve("k8s");
    List<Path> versions = new ArrayList<>();
    if (Files.isDirectory(k8s)) {
      try (Stream<Path> list = Files.list(k8s)) {
        list.filter(p -> p.getFileName().toString().endsWith(platform) && Files.isDirectory(p)).forEach(versions::add);
      } catch (IOException e) {
        return new Lookup(null, "cannot list " + k8s + ": " + e.getMessage());
      }
    }
    versions.sort(Comparator.comparing((Path p) -> version(p, platform), LocalApiChoice::compareVersions)
        .reversed());
    String problem = null;
    for (Path candidate : versions) {
      String missing = missing(candidate);
      if (missing == null) {
        return new Lookup(new Binaries(dir, version(candidate, platform), candidate), null);
      }
      if (problem == null) {
        problem = candidate.getFileName() + " lacks " + missing;
      }
    }
    return new Lookup(null, problem == null ? null : "k8s/" + problem);
  }

  /** The binaries a version directory lacks (absent or not executable), or null. */
  private static String missing(Path dir) {
    List<String> missing = BINARIES.stream()
        .filter(b -> !Files.isRegularFile(dir.resolve(b)) || !Files.isExecutable(dir.resolve(b))).toList();
    return missing.isEmpty() ? null : String.join(", ", missing);
  }

  private static String version(Path dir, String platform) {
    String name = dir.getFileName().toString();
    return name.substring(0, name.length() - platform.length());
  }

  /** Dotted versions, numerically where both parts are numbers (1.30.0 is newer than 1.9.2). */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c = p.matches("\\d{1,9}") && q.matches("\\d{1,9}") ? Integer.compare(Integer.parseInt(p),
          Integer.parseInt(q)) : p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
