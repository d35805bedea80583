package io.neuraltrader.e2b.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.neuraltrader.e2b.api.validation.CrdRules;
import io.neuraltrader.e2b.api.validation.SchemaValidator;
import io.neuraltrader.e2b.api.validation.SchemaValidator.ErrorType;
import io.neuraltrader.e2b.api.validation.SchemaValidator.FieldError;
import io.neuraltrader.e2b.local.apiserver.ChangeLog;
import io.neuraltrader.e2b.local.apiserver.KubectlApiServer;
import io.neuraltrader.e2b.local.apiserver.MergePatch;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory API's CRUD dispatcher with what a kube-apiserver does to custom resources before it stores
 * them: every POST, PUT and PATCH (JSON patch and merge patch; strategic merge patch is refused with 415, as
 * for any custom resource) of the main resource and of the /status and /scale subresources computes the
 * resulting object, prunes, defaults and validates it against the CRD schema and answers 422 with the
 * server's {@code Status} (reason Invalid, causes with field paths) when it fails. Status subresource
 * semantics: writes to the resource keep the stored status, writes to /status change only the status; /scale
 * serves an autoscaling/v1 Scale built from the CRD's scale paths. Unknown fields follow the request's
 * {@code fieldValidation} (Strict: 400; Warn, the default: pruned with a warning header; Ignore: pruned).
 *
 * <p>The admitted result is stored here, as the server's registry stores it (see {@link #storeCreated} and
 * {@link #storeReplaced}): encoded once for the store, the answer and every watch. Deletes, built-in kinds
 * and CRDs stay the mock's. Writes are serialized, so the object a patch applies to is the one it replaces.
 * A named object is found through a {@link NameIndex}, not by scanning the store, so reads and writes of
 * one object cost the same with ten objects stored or ten thousand.
 */
final class AdmissionDispatcher extends KubernetesCrudDispatcher implements KubectlApiServer.Store {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final Pattern PATH = Pattern.compile(
      "^/apis/([^/?]+)/([^/?]+)/namespaces/([^/?]+)/([^/?]+)(?:/([^/?]+))?(?:/(status|scale))?/?(?:\\?(.*))?$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String JSON_PATCH = "application/json-patch+json";

  /** A custom resource type the API serves, from its CRD. */
  private record Served(String group, String version, String kind, String plural, SchemaValidator schema,
      boolean statusSubresource, CustomResourceSubresourceScale scale) {
    String qualifiedKind() {
      return kind + "." + group;
    }
  }

  /** A request to a custom resource: {@code name} null for the collection, {@code sub} "", status or scale. */
  private record Target(Served served, String namespace, String name, String sub, Map<String, String> query) {
    String objectPath() {
      return "/apis/" + served.group() + "/" + served.version() + "/namespaces/" + namespace + "/"
          + served.plural() + "/" + name;
    }

    String fieldValidation() {
      return query.getOrDefault("fieldValidation", "Warn");
    }

    boolean dryRun() {
      return query.containsKey("dryRun");
    }
  }

  /** A refusal, with the Status the server answers. */
  private static final class Refusal extends Exception {
    final MockResponse response;

    Refusal(MockResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  private final Map<String, Served> served = new ConcurrentHashMap<>();
  /**
   * Every write holds the write lock (so the object a patch applies to is the one it replaces), every read
   * the read lock: a read never sees a replaced object half-way (removed, not yet put back).
   */
  private final ReentrantReadWriteLock store = new ReentrantReadWriteLock();
  private final NameIndex names = new NameIndex();
  /** Set when a stored key could not be indexed: lookups scan the store from then on. */
  private volatile boolean unindexed;
  private static final int CHANGES = 1_000;
  /** Every stored change, for the watches (these and the kubectl-facing API's). */
  private final ChangeLog changes = new ChangeLog(CHANGES);

  /** The open watches (see {@link #handleWatch}). */
  private final java.util.Set<Watch> watches = ConcurrentHashMap.newKeySet();

  AdmissionDispatcher(List<CustomResourceDefinitionContext> contexts) {
    super(contexts);
  }

  @Override
  public ChangeLog changes() {
    return changes;
  }

  /**
   * A change the mock's own handlers stored (deletes, built-in kinds, CRDs) also goes to the name index, the
   * change log and the watches, in store order (the write lock is held here); a deletion gets a new
   * resourceVersion, as on a server.
   */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    String before = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    AttributeSet key = reindex(pathAttributes, oldAttributes, resource, newState);
    if (java.util.Objects.equals(before, newState)) {
      return;
    }
    long version;
    if (newState == null) {
      version = requestResourceVersion();
    } else {
      try {
        String stored = resource != null ? resource.getMetadata().getResourceVersion()
            : MAPPER.readTree(newState).path("metadata").path("resourceVersion").asText("0");
        version = Long.parseLong(stored);
      } catch (IOException | NumberFormatException e) {
        version = requestResourceVersion();
      }
    }
    logged(before == null ? null : oldAttributes, before, newState == null ? null : key, newState, version);
  }

  /** A stored change into the change log and out to the watches it concerns. */
  private void logged(AttributeSet was, String before, AttributeSet is, String after, long version) {
    ChangeLog.Change change = new ChangeLog.Change(version, before, after);
    changes.record(change);
    broadcast(was, is, change);
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return locked(() -> {
      if (pathOnly(request.getPath()).equals(CRDS)) {
        return createCrd(request);
      }
      Target target = target(request.getPath());
      if (target == null || target.name() != null) {
        return super.handleCreate(request);
      }
      try {
        return create(target, request);
      } catch (Refusal r) {
        return r.response;
      }
    });
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    if (pathOnly(request.getPath()).startsWith(CRDS + "/")) {
      return locked(() -> updateCrd(request, false));
    }
    return objectWrite(request, () -> super.handleUpdate(request), (target, current) -> {
      JsonNode body = parse(request);
      if (target.sub().equals("scale")) {
        return updateScale(target, current, body);
      }
      if (!(body instanceof ObjectNode proposed)) {
        throw new Refusal(status(400, "BadRequest", "the body of the request was not a JSON object", null));
      }
      return update(target, current, proposed, true);
    });
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    if (pathOnly(request.getPath()).startsWith(CRDS + "/")) {
      return locked(() -> updateCrd(request, true));
    }
    return objectWrite(request, () -> super.handlePatch(request), (target, current) -> {
      String type = mediaType(request.getHeader("Content-Type"));
      if (!type.equals(MERGE_PATCH) && !type.equals(JSON_PATCH)) {
        // Strategic merge patch needs a Go type's patch strategy; apply patches are not served here.
        throw new Refusal(status(415, "UnsupportedMediaType", "the body of the request was in an unknown "
            + "format - accepted media types include: " + JSON_PATCH + ", " + MERGE_PATCH
            + ", application/apply-patch+yaml", null));
      }
      JsonNode patch = parse(request);
      if (target.sub().equals("scale")) {
        if (target.served().scale() == null) {
          return notFound(target);
        }
        return updateScale(target, current, applyPatch(type, scaleOf(target.served(), current), patch));
      }
      JsonNode patched = applyPatch(type, current, patch);
      if (!(patched instanceof ObjectNode proposed)) {
        throw new Refusal(status(422, "Invalid", "the patched object is not a JSON object", null));
      }
      return update(target, current, proposed, false);
    });
  }

  /** A write of one stored custom resource, given it and the request's target; may refuse. */
  @FunctionalInterface
  private interface ObjectWrite {
    MockResponse apply(Target target, ObjectNode current) throws Refusal;
  }

  /** Runs {@code write} on the stored object the request names; {@code other} serves any other path. */
  private MockResponse objectWrite(RecordedRequest request, Supplier<MockResponse> other, ObjectWrite write) {
    return locked(() -> {
      Target target = target(request.getPath());
      if (target == null || target.name() == null) {
        return other.get();
      }
      try {
        ObjectNode current = current(target);
        return current == null ? notFound(target) : write.apply(target, current);
      } catch (Refusal r) {
        return r.response;
      }
    });
  }

  @Override
  public MockResponse handleGet(String path) {
    Target target = target(path);
    if (target != null && target.name() != null && target.sub().equals("scale")) {
      return reading(() -> {
        ObjectNode current = current(target);
        if (current == null || target.served().scale() == null) {
          return notFound(target);
        }
        return json(200, scaleOf(target.served(), current));
      });
    }
    AttributeSet query = getKey(path);
    if (NameIndex.nameOf(query) == null || isWatch(path)) {
      return reading(() -> super.handleGet(path));
    }
    // One named object: the mock answers 200 with it or 404 without a body.
    return reading(() -> {
      var entry = findResource(query);
      return entry == null ? new MockResponse().setResponseCode(404)
          : new MockResponse().setResponseCode(200).setBody(entry.getValue());
    });
  }

  /**
   * Watches are served here, not by the mock, the way the API server's watch cache serves them. A watch from a
   * resourceVersion gets the changes logged since that version (ADDED, MODIFIED, DELETED, in store order), then
   * each new one; the mock instead sent every current object as ADDED (a reconnecting informer re-processed
   * its whole cache) and never the objects deleted in between (an informer waiting for such a deletion waited
   * forever). A watch without a version starts with the current objects as ADDED. A version older than the
   * log holds gets the server's 410 Expired, and the client lists again. Each change is encoded once for all
   * the watches it goes to (the mock decoded and re-encoded the object for every watch).
   */
  @Override
  public MockResponse handleWatch(String path) {
    AttributeSet query = watchQuery(path);
    long from = watchVersion(path);
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      private volatile Watch watch;

      @Override
      public void onOpen(WebSocket socket, Response response) {
        // No write between the first events and the registration: nothing missed, nothing twice.
        store.readLock().lock();
        try {
          List<String> first;
          try {
            first = from > 0 ? replay(from, query) : currentObjects(query);
          } catch (ChangeLog.TooOld e) {
            socket.send(watchEvent("ERROR", Serialization.asJson(new StatusBuilder().withApiVersion("v1")
                .withKind("Status").withNewMetadata().endMetadata().withStatus("Failure")
                .withMessage(e.getMessage()).withReason("Expired").withCode(410).build())));
            socket.close(1000, "expired");
            return;
          }
          first.forEach(socket::send);
          watch = new Watch(query, socket);
          watches.add(watch);
        } finally {
          store.readLock().unlock();
        }
      }

      @Override
      public void onClosing(WebSocket socket, int code, String reason) {
        stop();
        socket.close(code, reason);
      }

      @Override
      public void onClosed(WebSocket socket, int code, String reason) {
        stop();
      }

      @Override
      public void onFailure(WebSocket socket, Throwable error, Response response) {
        stop();
      }

      private void stop() {
        Watch w = watch;
        if (w != null) {
          watches.remove(w);
        }
      }
    });
  }

  /** An open watch: what it matches and where its events go. */
  private record Watch(AttributeSet query, WebSocket socket) {}

  private static final String[] EVENT_TYPES = {"ADDED", "MODIFIED", "DELETED"};

  /**
   * The event a watch gets for a change of the object stored under {@code was} (null: none before) and now
   * under {@code is} (null: deleted): its index in {@link #EVENT_TYPES}, or -1 when the watch matches neither.
   * An object leaving a watch's selector is DELETED for it, one entering is ADDED.
   */
  private static int eventType(AttributeSet query, AttributeSet was, AttributeSet is) {
    boolean before = was != null && was.matches(query);
    boolean after = is != null && is.matches(query);
    return before && after ? 1 : after ? 0 : before ? 2 : -1;
  }

  /** Sends one change to every watch it concerns, each event text built once. */
  private void broadcast(AttributeSet was, AttributeSet is, ChangeLog.Change change) {
    String object = null;
    String[] texts = new String[EVENT_TYPES.length];
    for (Watch w : watches) {
      int type = eventType(w.query(), was, is);
      if (type >= 0) {
        if (texts[type] == null) {
          object = object != null ? object : eventObject(change);
          texts[type] = watchEvent(EVENT_TYPES[type], object);
        }
        w.socket().send(texts[type]);
      }
    }
  }

  /** The current objects a watch matches, as ADDED events. */
  private List<String> currentObjects(AttributeSet query) {
    List<String> events = new ArrayList<>();
    for (Map.Entry<AttributeSet, String> e : map.entrySet()) {
      if (e.getKey().matches(query)) {
        events.add(watchEvent("ADDED", e.getValue()));
      }
    }
    return events;
  }

  /** The logged changes after {@code from} that a watch matches, as its events. */
  private List<String> replay(long from, AttributeSet query) throws ChangeLog.TooOld {
    List<String> events = new ArrayList<>();
    for (ChangeLog.Change c : changes.since(from)) {
      int type = eventType(query, keyOf(c.before(), query), keyOf(c.after(), query));
      if (type >= 0) {
        events.add(watchEvent(EVENT_TYPES[type], eventObject(c)));
      }
    }
    return events;
  }

  /** The key an object is stored under (the watch's plural when the object's kind has none); null for none. */
  private AttributeSet keyOf(String object, AttributeSet query) {
    if (object == null) {
      return null;
    }
    AttributeSet key = ((KubernetesAttributesExtractor) attributeExtractor).fromResource(object);
    Attribute plural = query.getAttribute(KubernetesAttributesExtractor.PLURAL);
    return key.containsKey(KubernetesAttributesExtractor.PLURAL) || plural == null ? key : key.add(plural);
  }

  /**
   * The object a change's event carries: the stored one, or for a deletion the last one with the deletion's
   * resourceVersion, as on a server (decoded only when a watch gets the event).
   */
  private static String eventObject(ChangeLog.Change change) {
    if (change.after() != null) {
      return change.after();
    }
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(change.before());
      node.with("metadata").put("resourceVersion", Long.toString(change.resourceVersion()));
      return MAPPER.writeValueAsString(node);
    } catch (IOException | ClassCastException e) {
      return change.before();
    }
  }

  private static String watchEvent(String type, String object) {
    return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
  }

  /** The resourceVersion a watch starts from; 0 when none (the current objects, then new changes). */
  private static long watchVersion(String path) {
    String version = queryOf(path).get("resourceVersion");
    try {
      return version == null || version.isEmpty() ? 0 : Long.parseLong(version);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** What the watch matches, as the mock builds it: the path's attributes, a field-selected name added. */
  private AttributeSet watchQuery(String path) {
    AttributeSet query = getKey(path);
    String selector = queryOf(path).get("fieldSelector");
    if (selector != null) {
      for (String term : selector.split(",")) {
        if (term.startsWith("metadata.name=")) {
          query = query.add(new Attribute(KubernetesAttributesExtractor.NAME,
              term.substring("metadata.name=".length())));
        }
      }
    }
    return query;
  }

  /** The request's query parameters, decoded (a parameter without a value maps to ""). */
  private static Map<String, String> queryOf(String path) {
    Map<String, String> query = new java.util.HashMap<>();
    int q = path.indexOf('?');
    if (q >= 0) {
      for (String pair : path.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }


  /**
   * Deletes stay the mock's (finalizers mark, the last one's removal deletes): they hold its own write lock,
   * which the snapshot of a watch being opened takes too, so a new watch never sees a half-done delete.
   */
  @Override
  public MockResponse handleDelete(String path) {
    return locked(() -> super.handleDelete(path));
  }

  /** The stored object a query names, from the name index instead of a scan of the whole store. */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    String name = NameIndex.nameOf(attributes);
    if (name == null || unindexed) {
      return super.findResource(attributes);
    }
    for (AttributeSet key : names.keysNamed(name)) {
      String value = map.get(key);
      if (value != null && key.matches(attributes)) {
        return Map.entry(key, value);
      }
    }
    return null;
  }

  /** After a change of the store: the replaced key leaves the index, the stored one joins it. */
  private AttributeSet reindex(AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    if (oldAttributes != null && !map.containsKey(oldAttributes)) {
      names.remove(oldAttributes);
    }
    if (newState == null) {
      return null;
    }
    // The key the mock stored the object under: its attributes, the path's plural when the object has none.
    var extractor = (KubernetesAttributesExtractor) attributeExtractor;
    AttributeSet stored = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    if (!stored.containsKey(KubernetesAttributesExtractor.PLURAL)) {
      stored = AttributeSet.merge(pathAttributes, stored);
    }
    if (map.containsKey(stored)) {
      names.add(stored);
    } else if (!unindexed) {
      unindexed = true;
      org.slf4j.LoggerFactory.getLogger(AdmissionDispatcher.class).warn("in-memory API: a stored object's key"
          + " was not the one expected ({}); named lookups scan the store from now on", stored);
    }
    return stored;
  }

  /** Keys in the name index, for the tests that hold it against the store. */
  int indexedKeys() {
    return names.size();
  }

  boolean indexed() {
    return !unindexed;
  }

  private static boolean isWatch(String path) {
    return "true".equals(queryOf(path).get("watch"));
  }


  private MockResponse locked(Supplier<MockResponse> write) {
    return holding(store.writeLock(), write);
  }

  private MockResponse reading(Supplier<MockResponse> read) {
    return holding(store.readLock(), read);
  }

  private static MockResponse holding(Lock lock, Supplier<MockResponse> action) {
    lock.lock();
    try {
      return action.get();
    } catch (RuntimeException e) {
      // An answer in any case: a dispatcher that throws leaves the client waiting for its timeout.
      return status(500, "InternalError", "Internal error occurred: " + e, null);
    } finally {
      lock.unlock();
    }
  }

  // --- CRDs -------------------------------------------------------------------------------------------

  /**
   * Stores a CRD unless a server would refuse it (patterns RE2 cannot compile, CEL rules over the cost
   * budget: {@link CrdRules}); its objects are admitted by its schema from then on.
   */
  private MockResponse createCrd(RecordedRequest request) {
    MockResponse refused = refuseCrd(body(request));
    return refused != null ? refused : serve(super.handleCreate(request));
  }

  /** PUT or PATCH of a CRD: the resulting CRD must pass as on create. */
  private MockResponse updateCrd(RecordedRequest request, boolean patch) {
    String result = body(request);
    if (patch) {
      var entry = findResource(getKey(pathOnly(request.getPath())));
      if (entry == null) {
        return super.handlePatch(request);
      }
      try {
        result = applyPatch(mediaType(request.getHeader("Content-Type")), MAPPER.readTree(entry.getValue()),
            parse(request)).toString();
      } catch (Refusal r) {
        return r.response;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    MockResponse refused = refuseCrd(result);
    if (refused != null) {
      return refused;
    }
    return serve(patch ? super.handlePatch(request) : super.handleUpdate(request));
  }

  /** The 422 a server answers for a CRD it refuses, or null when it would store it. */
  private static MockResponse refuseCrd(String json) {
    CustomResourceDefinition crd;
    try {
      crd = Serialization.unmarshal(json, CustomResourceDefinition.class);
    } catch (RuntimeException e) {
      return null;
    }
    if (crd == null || crd.getSpec() == null || crd.getSpec().getVersions() == null) {
      return null;
    }
    List<String> violations = CrdRules.violations(crd);
    if (violations.isEmpty()) {
      return null;
    }
    List<StatusCause> causes = new ArrayList<>();
    java.util.LinkedHashSet<String> messages = new java.util.LinkedHashSet<>(violations);
    for (String v : violations) {
      int colon = v.indexOf(": ");
      String body = colon < 0 ? v : v.substring(colon + 2);
      causes.add(new StatusCauseBuilder().withField(colon < 0 ? "<nil>" : v.substring(0, colon))
          .withMessage(body).withReason(causeOf(body)).build());
    }
    String aggregate = messages.size() == 1 ? messages.iterator().next() : "[" + String.join(", ", messages) + "]";
    String name = crd.getMetadata() == null ? "" : crd.getMetadata().getName();
    return status(422, "Invalid", "CustomResourceDefinition.apiextensions.k8s.io " + SchemaValidator.quote(name)
        + " is invalid: " + aggregate, new StatusDetailsBuilder().withName(name).withGroup("apiextensions.k8s.io")
        .withKind("CustomResourceDefinition").withCauses(causes).build());
  }

  /** The cause type of a rendered field error body ("Invalid value: ...", "Forbidden: ..."). */
  private static String causeOf(String body) {
    for (ErrorType type : ErrorType.values()) {
      if (type != ErrorType.TYPE_INVALID && body.startsWith(type.text())) {
        return type.cause();
      }
    }
    return ErrorType.INVALID.cause();
  }

  /** After a CRD was stored: its objects are admitted by the stored version from now on. */
  private MockResponse serve(MockResponse response) {
    if (response.code() >= 300 || response.getBody() == null || response.getBody().size() == 0) {
      return response;
    }
    CustomResourceDefinition crd;
    try {
      crd = Serialization.unmarshal(new String(response.getBody().getBytes(), StandardCharsets.UTF_8),
          CustomResourceDefinition.class);
    } catch (RuntimeException e) {
      return response;
    }
    if (crd.getSpec() != null && crd.getSpec().getVersions() != null) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (v.getSchema() == null || v.getSchema().getOpenAPIV3Schema() == null) {
          continue;
        }
        var sub = v.getSubresources();
        served.put(key(crd.getSpec().getGroup(), v.getName(), crd.getSpec().getNames().getPlural()),
            new Served(crd.getSpec().getGroup(), v.getName(), crd.getSpec().getNames().getKind(),
                crd.getSpec().getNames().getPlural(), new SchemaValidator(v.getSchema().getOpenAPIV3Schema()),
                sub != null && sub.getStatus() != null, sub == null ? null : sub.getScale()));
      }
    }
    return response;
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  // --- writes -----------------------------------------------------------------------------------------

  private MockResponse create(Target target, RecordedRequest request) throws Refusal {
    JsonNode parsed = parse(request);
    if (!(parsed instanceof ObjectNode object)) {
      throw new Refusal(status(400, "BadRequest", "the body of the request was not a JSON object", null));
    }
    Served s = target.served();
    String name = object.path("metadata").path("name").asText("");
    typeMeta(s, object, name);
    if (s.statusSubresource()) {
      // The status of a resource with a status subresource is not set on create.
      object.remove("status");
    }
    List<FieldError> metadata = new ArrayList<>();
    if (name.isEmpty() && object.path("metadata").path("generateName").asText("").isEmpty()) {
      metadata.add(new FieldError(SchemaValidator.ErrorType.REQUIRED, "metadata.name", "",
          "name or generateName is required"));
    } else if (!name.isEmpty()) {
      metadata.addAll(nameErrors(name));
    }
    Admitted admitted = admit(target, object, null, name, metadata, true, true);
    if (target.dryRun()) {
      return admitted.warn(json(201, admitted.object()));
    }
    return admitted.warn(storeCreated(target, admitted.object()));
  }

  /**
   * PUT or PATCH of the resource or its status: {@code proposed} is the whole object the request asks for.
   * {@code put}: a replacement, which must name the resourceVersion it replaces.
   */
  private MockResponse update(Target target, ObjectNode current, ObjectNode proposed, boolean put)
      throws Refusal {
    Served s = target.served();
    if (target.sub().equals("status") && !s.statusSubresource()) {
      throw new Refusal(notFound(target));
    }
    String currentVersion = current.path("metadata").path("resourceVersion").asText("");
    String proposedVersion = proposed.path("metadata").path("resourceVersion").asText("");
    if (!proposedVersion.isEmpty() && !proposedVersion.equals(currentVersion)) {
      throw new Refusal(conflict(target));
    }
    if (put && proposedVersion.isEmpty()) {
      // The storage layer's check: it names the resource, not the kind, and its version is a uint64 (0x0).
      throw new Refusal(invalid(s.plural() + "." + s.group(), s.group(), s.plural(), target.name(),
          List.of(FieldError.invalid("metadata.resourceVersion", new SchemaValidator.Verbatim("0x0"),
              "must be specified for an update"))));
    }
    String proposedName = proposed.path("metadata").path("name").asText("");
    if (!proposedName.isEmpty() && !proposedName.equals(target.name())) {
      throw new Refusal(status(400, "BadRequest", "the name of the object (" + proposedName
          + ") does not match the name on the URL (" + target.name() + ")", null));
    }
    typeMeta(s, proposed, target.name());
    ObjectNode result;
    boolean statusWrite = target.sub().equals("status");
    if (statusWrite) {
      // Only the status changes through /status.
      result = current.deepCopy();
      setStatus(result, proposed.get("status"));
    } else {
      result = proposed.deepCopy();
      if (s.statusSubresource()) {
        // The resource's endpoint leaves the status alone when there is a status subresource.
        setStatus(result, current.get("status"));
      }
    }
    ObjectNode metadata = result.with("metadata");
    metadata.put("resourceVersion", currentVersion);
    Admitted admitted = admit(target, result, current, target.name(), List.of(), !statusWrite, put);
    if (target.dryRun()) {
      return admitted.warn(json(200, admitted.object()));
    }
    return admitted.warn(storeReplaced(target, current, admitted.object(), statusWrite));
  }

  // --- the store --------------------------------------------------------------------------------------

  /** The characters the server's name generator appends to a generateName (no vowels, no 0, 1, 3). */
  private static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  /**
   * Stores an admitted new custom resource as the server's registry does: a name from generateName when it
   * has none, the request's namespace, a new uid, creationTimestamp, resourceVersion and generation 1; 409
   * AlreadyExists when the name is taken. The object is encoded once, for the store, the answer and every
   * watch (the mock's own handlers decoded it twice more and diffed it).
   */
  private MockResponse storeCreated(Target target, ObjectNode object) throws Refusal {
    ObjectNode metadata = object.with("metadata");
    namespaceMatches(target, metadata);
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      StringBuilder generated = new StringBuilder(metadata.path("generateName").asText(""));
      java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
      for (int i = 0; i < 5; i++) {
        generated.append(NAME_SUFFIX_ALPHABET.charAt(random.nextInt(NAME_SUFFIX_ALPHABET.length())));
      }
      name = generated.toString();
      metadata.put("name", name);
    }
    Target named = new Target(target.served(), target.namespace(), name, "", target.query());
    if (findResource(objectKey(named)) != null) {
      Served s = target.served();
      throw new Refusal(status(409, "AlreadyExists", s.plural() + "." + s.group() + " \"" + name
          + "\" already exists", new StatusDetailsBuilder().withName(name).withGroup(s.group())
          .withKind(s.plural()).build()));
    }
    metadata.put("namespace", target.namespace());
    metadata.put("uid", java.util.UUID.randomUUID().toString());
    metadata.put("creationTimestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString());
    metadata.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds"));
    long version = requestResourceVersion();
    metadata.put("resourceVersion", Long.toString(version));
    metadata.put("generation", 1);
    String stored = encode(object);
    commit(null, null, keyOf(named, metadata), stored, version);
    return stored(201, stored);
  }

  /**
   * Stores an admitted replacement of {@code current} as the server's registry does: uid, creationTimestamp
   * and the deletion marks stay the stored ones, generation counts changes outside metadata and status, an
   * unchanged object is not written again (same resourceVersion, no event), and an object marked for
   * deletion whose last finalizer this write removes is deleted.
   */
  private MockResponse storeReplaced(Target target, ObjectNode current, ObjectNode object, boolean statusWrite)
      throws Refusal {
    ObjectNode metadata = object.with("metadata");
    JsonNode was = current.path("metadata");
    namespaceMatches(target, metadata);
    metadata.put("name", target.name());
    metadata.put("namespace", target.namespace());
    for (String kept : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "resourceVersion", "generation")) {
      if (was.has(kept)) {
        metadata.set(kept, was.get(kept));
      } else {
        metadata.remove(kept);
      }
    }
    AttributeSet oldKey = findResource(objectKey(target)).getKey();
    String before = map.get(oldKey);
    boolean lastFinalizerGone = was.hasNonNull("deletionTimestamp")
        && metadata.path("finalizers").isEmpty() && !was.path("finalizers").isEmpty();
    if (lastFinalizerGone) {
      long version = requestResourceVersion();
      metadata.put("resourceVersion", Long.toString(version));
      commit(oldKey, before, null, null, version);
      return stored(200, encode(object));
    }
    if (object.equals(SAME_VALUE, current)) {
      return stored(200, before);
    }
    if (!statusWrite && specChanged(target.served(), current, object)) {
      metadata.put("generation", was.path("generation").asLong(0) + 1);
    }
    long version = requestResourceVersion();
    metadata.put("resourceVersion", Long.toString(version));
    String stored = encode(object);
    commit(oldKey, before, keyOf(target, metadata), stored, version);
    return stored(200, stored);
  }

  /**
   * One change of the store (write lock held): the object under {@code oldKey} (null: none) replaced by
   * {@code after} under {@code newKey} (null: deleted), in the name index, the change log and the watches.
   */
  private void commit(AttributeSet oldKey, String before, AttributeSet newKey, String after, long version) {
    if (oldKey != null) {
      map.remove(oldKey);
      names.remove(oldKey);
    }
    if (newKey != null) {
      map.put(newKey, after);
      names.add(newKey);
    }
    logged(oldKey, before, newKey, after, version);
  }

  /**
   * Equal JSON values as the server compares objects (decoded, then encoded again): numbers by value, so a
   * 2 read as an int and a 2 written as a long are the same replica count.
   */
  private static final java.util.Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
      || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

  /** Whether anything but metadata (and status, when it is a subresource) differs: a new generation. */
  private static boolean specChanged(Served s, ObjectNode current, ObjectNode object) {
    java.util.Set<String> names = new java.util.HashSet<>();
    current.fieldNames().forEachRemaining(names::add);
    object.fieldNames().forEachRemaining(names::add);
    for (String field : names) {
      if (field.equals("metadata") || (field.equals("status") && s.statusSubresource())) {
        continue;
      }
      JsonNode was = current.get(field);
      JsonNode is = object.get(field);
      if (was == null || is == null ? was != is : !was.equals(SAME_VALUE, is)) {
        return true;
      }
    }
    return false;
  }

  /** The server's check of an object's namespace against the request's. */
  private static void namespaceMatches(Target target, ObjectNode metadata) throws Refusal {
    String namespace = metadata.path("namespace").asText("");
    if (!namespace.isEmpty() && !namespace.equals(target.namespace())) {
      throw new Refusal(status(400, "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request", null));
    }
  }

  /**
   * The key the mock's handlers store an object under (its extractor's attributes of the object's type and
   * metadata, the path's plural when the type has none), from the metadata alone.
   */
  private AttributeSet keyOf(Target target, ObjectNode metadata) {
    GenericKubernetesResource head = new GenericKubernetesResource();
    head.setApiVersion(target.served().group() + "/" + target.served().version());
    head.setKind(target.served().kind());
    io.fabric8.kubernetes.api.model.ObjectMeta meta = new io.fabric8.kubernetes.api.model.ObjectMeta();
    meta.setName(metadata.path("name").asText(null));
    meta.setNamespace(metadata.path("namespace").asText(null));
    JsonNode labels = metadata.path("labels");
    if (labels.isObject() && !labels.isEmpty()) {
      Map<String, String> l = new java.util.LinkedHashMap<>();
      labels.fields().forEachRemaining(e -> l.put(e.getKey(), e.getValue().asText()));
      meta.setLabels(l);
    }
    head.setMetadata(meta);
    AttributeSet key = ((KubernetesAttributesExtractor) attributeExtractor).extract(head);
    return key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key
        : AttributeSet.merge(objectKey(target), key);
  }

  private static String encode(ObjectNode object) {
    try {
      return MAPPER.writeValueAsString(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MockResponse stored(int code, String object) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(object);
  }

  /** PUT or PATCH of /scale: {@code scale} is the autoscaling/v1 Scale asked for. */
  private MockResponse updateScale(Target target, ObjectNode current, JsonNode scale) throws Refusal {
    Served s = target.served();
    if (s.scale() == null) {
      return notFound(target);
    }
    String currentVersion = current.path("metadata").path("resourceVersion").asText("");
    String asked = scale.path("metadata").path("resourceVersion").asText("");
    if (!asked.isEmpty() && !asked.equals(currentVersion)) {
      throw new Refusal(conflict(target));
    }
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.isMissingNode() && !replicas.isNull() && !replicas.isIntegralNumber()) {
      throw new Refusal(status(400, "BadRequest", "json: cannot unmarshal " + (replicas.isTextual() ? "string"
          : "number " + replicas) + " into Go struct field ScaleSpec.spec.replicas of type int32", null));
    }
    ObjectNode result = current.deepCopy();
    setPath(result, s.scale().getSpecReplicasPath(), MAPPER.getNodeFactory().numberNode(replicas.asLong(0)));
    ObjectNode admitted = admit(target, result, current, target.name(), List.of(), true, true).object();
    if (target.dryRun()) {
      return json(200, scaleOf(s, admitted));
    }
    MockResponse stored = storeReplaced(target, current, admitted, false);
    if (stored.code() != 200) {
      return stored;
    }
    try {
      return json(200, scaleOf(s, (ObjectNode) MAPPER.readTree(stored.getBody().getBytes())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Prunes, defaults and validates {@code object} (replacing {@code old}, null on create) as the server does
   * before storing it; returns the object to store, or refuses. {@code specWrite}: the write may change the spec (scale spec paths are checked);
   * {@code decodesBody}: unknown fields are decoding errors of the request (POST, PUT) rather than of a patch.
   */
  private static Admitted admit(Target target, ObjectNode object, ObjectNode old, String name,
      List<FieldError> metadata, boolean specWrite, boolean decodesBody) throws Refusal {
    Served s = target.served();
    SchemaValidator.Result result = s.schema().validate(object, old, defaulted -> {
      List<FieldError> errors = new ArrayList<>(metadata);
      if (s.scale() != null) {
        if (specWrite) {
          errors.addAll(replicasErrors(defaulted, s.scale().getSpecReplicasPath()));
        }
        errors.addAll(replicasErrors(defaulted, s.scale().getStatusReplicasPath()));
        String selector = s.scale().getLabelSelectorPath();
        if (selector != null) {
          JsonNode value = at(defaulted, selector);
          if (value != null && !value.isNull() && !value.isTextual()) {
            errors.add(FieldError.invalid(selector, "", selector + " accessor error: " + goValue(value)
                + " is of the type " + goType(value) + ", expected string"));
          }
        }
      }
      return errors;
    });
    if (!result.unknownFields().isEmpty() && target.fieldValidation().equals("Strict")) {
      String strict = SchemaValidator.strictDecodingError(result.unknownFields());
      throw new Refusal(status(400, "BadRequest", decodesBody ? s.kind() + " in version \"" + s.version()
          + "\" cannot be handled as a " + s.kind() + ": " + strict : strict, null));
    }
    if (!result.causes().isEmpty()) {
      // The server checks object metadata first.
      List<FieldError> ordered = new ArrayList<>(metadata);
      result.causes().stream().filter(c -> !metadata.contains(c)).forEach(ordered::add);
      throw new Refusal(invalid(s, name, ordered));
    }
    return new Admitted((ObjectNode) result.defaulted(),
        target.fieldValidation().equals("Ignore") ? List.of() : result.unknownFields());
  }

  /** An object fit to store, and the unknown fields pruned from it that the answer warns about. */
  private record Admitted(ObjectNode object, List<String> unknownFields) {
    /** Adds the server's {@code Warning: 299 - "unknown field \"spec.x\""} headers to an answer. */
    MockResponse warn(MockResponse response) {
      for (String field : unknownFields) {
        response.addHeader("Warning", "299 - " + SchemaValidator.quote("unknown field " + SchemaValidator.quote(field)));
      }
      return response;
    }
  }

  /** The server's scale checks: the replicas paths hold non-negative int32 values when present. */
  private static List<FieldError> replicasErrors(JsonNode object, String path) {
    JsonNode value = at(object, path);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isIntegralNumber()) {
      return List.of(FieldError.invalid(path, 0L, path + " accessor error: " + goValue(value)
          + " is of the type " + goType(value) + ", expected int64"));
    }
    long n = value.asLong();
    if (n < 0) {
      return List.of(FieldError.invalid(path, n, "should be a non-negative integer"));
    }
    if (n > Integer.MAX_VALUE) {
      return List.of(FieldError.invalid(path, n, "should be less than or equal to " + Integer.MAX_VALUE));
    }
    return List.of();
  }

  private static String goValue(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  private static String goType(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    if (value.isNumber()) {
      return "float64";
    }
    return value.isArray() ? "[]interface {}" : "map[string]interface {}";
  }

  /** Kind and apiVersion must be the CRD's (checked before anything else). */
  private static void typeMeta(Served s, ObjectNode object, String name) throws Refusal {
    List<FieldError> errors = new ArrayList<>();
    String kind = object.path("kind").asText("");
    String apiVersion = object.path("apiVersion").asText("");
    if (!kind.equals(s.kind())) {
      errors.add(FieldError.invalid("kind", kind, "must be " + s.kind()));
    }
    if (!apiVersion.equals(s.group() + "/" + s.version())) {
      errors.add(FieldError.invalid("apiVersion", apiVersion, "must be " + s.group() + "/" + s.version()));
    }
    if (!errors.isEmpty()) {
      throw new Refusal(invalid(s, name, errors));
    }
  }

  private static List<FieldError> nameErrors(String name) {
    List<FieldError> errors = new ArrayList<>();
    if (name.length() > 253) {
      errors.add(FieldError.invalid("metadata.name", name, "must be no more than 253 characters"));
    }
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      errors.add(FieldError.invalid("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower "
          + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
          + "(e.g. 'example.com', regex used for validation is '" + DNS_SUBDOMAIN.pattern() + "')"));
    }
    return errors;
  }

  // --- patches ----------------------------------------------------------------------------------------

  private static JsonNode applyPatch(String type, JsonNode target, JsonNode patch) throws Refusal {
    if (type.equals(JSON_PATCH)) {
      if (!patch.isArray()) {
        throw new Refusal(status(400, "BadRequest", "json: cannot unmarshal object into Go value of type "
            + "jsonpatch.Patch", null));
      }
      try {
        return JsonPatch.apply(patch, target);
      } catch (RuntimeException e) {
        throw new Refusal(status(422, "Invalid", e.getMessage(), null));
      }
    }
    return MergePatch.apply(target, patch);
  }

  // --- scale ------------------------------------------------------------------------------------------

  /** The autoscaling/v1 Scale of a custom resource, from the CRD's scale paths. */
  private static ObjectNode scaleOf(Served s, ObjectNode object) {
    ObjectNode scale = MAPPER.createObjectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode m = object.path("metadata");
    for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.hasNonNull(field)) {
        metadata.set(field, m.get(field));
      }
    }
    JsonNode spec = at(object, s.scale().getSpecReplicasPath());
    scale.putObject("spec").put("replicas", spec != null && spec.isIntegralNumber() ? spec.asInt() : 0);
    ObjectNode status = scale.putObject("status");
    JsonNode replicas = at(object, s.scale().getStatusReplicasPath());
    status.put("replicas", replicas != null && replicas.isIntegralNumber() ? replicas.asInt() : 0);
    if (s.scale().getLabelSelectorPath() != null) {
      JsonNode selector = at(object, s.scale().getLabelSelectorPath());
      if (selector != null && selector.isTextual() && !selector.asText().isEmpty()) {
        status.put("selector", selector.asText());
      }
    }
    return scale;
  }

  /** The value at a scale path such as {@code .spec.replicas}, or null. */
  private static JsonNode at(JsonNode object, String path) {
    JsonNode node = object;
    for (String part : path.replaceFirst("^\\.", "").split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node;
  }

  private static void setPath(ObjectNode object, String path, JsonNode value) {
    String[] parts = path.replaceFirst("^\\.", "").split("\\.");
    ObjectNode node = object;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.with(parts[i]);
    }
    node.set(parts[parts.length - 1], value);
  }

  // --- plumbing ---------------------------------------------------------------------------------------

  private Target target(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return null;
    }
    Served s = served.get(key(m.group(1), m.group(2), m.group(4)));
    if (s == null) {
      return null;
    }
    return new Target(s, m.group(3), m.group(5), m.group(6) == null ? "" : m.group(6), queryOf(path));
  }

  /**
   * The attributes the mock's extractor reads off an object's path (group, version, plural, namespace, name),
   * built from the parsed target instead of parsing the path as a URL again.
   */
  private static AttributeSet objectKey(Target target) {
    return new AttributeSet(new Attribute(KubernetesAttributesExtractor.API, target.served().group()),
        new Attribute(KubernetesAttributesExtractor.VERSION, target.served().version()),
        new Attribute(KubernetesAttributesExtractor.PLURAL, target.served().plural()),
        new Attribute(KubernetesAttributesExtractor.NAMESPACE, target.namespace()),
        new Attribute(KubernetesAttributesExtractor.NAME, target.name()));
  }

  private ObjectNode current(Target target) {
    var entry = findResource(objectKey(target));
    if (entry == null) {
      return null;
    }
    try {
      return (ObjectNode) MAPPER.readTree(entry.getValue());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(RecordedRequest request) {
    return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(RecordedRequest request) throws Refusal {
    try {
      JsonNode node = MAPPER.readTree(body(request));
      if (node == null || node.isMissingNode()) {
        throw new Refusal(status(400, "BadRequest", "the body of the request was empty", null));
      }
      return node;
    } catch (IOException e) {
      throw new Refusal(status(400, "BadRequest", "the body of the request could not be decoded: "
          + e.getMessage(), null));
    }
  }

  private static String pathOnly(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
  }

  private static void setStatus(ObjectNode object, JsonNode status) {
    if (status == null || status.isNull() || status.isMissingNode()) {
      object.remove("status");
    } else {
      object.set("status", status.deepCopy());
    }
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  private static MockResponse notFound(Target target) {
    String resource = target.served().plural() + "." + target.served().group();
    return status(404, "NotFound", resource + " \"" + target.name() + "\" not found",
        new StatusDetailsBuilder().withName(target.name()).withGroup(target.served().group())
            .withKind(target.served().plural()).build());
  }

  private static MockResponse conflict(Target target) {
    String resource = target.served().plural() + "." + target.served().group();
    return status(409, "Conflict", "Operation cannot be fulfilled on " + resource + " \"" + target.name()
        + "\": the object has been modified; please apply your changes to the latest version and try again",
        new StatusDetailsBuilder().withName(target.name()).withGroup(target.served().group())
            .withKind(target.served().plural()).build());
  }

  /** 422 Invalid, as apimachinery's NewInvalid builds it. */
  private static MockResponse invalid(Served s, String name, List<FieldError> errors) {
    return invalid(s.qualifiedKind(), s.group(), s.kind(), name, errors);
  }

  private static MockResponse invalid(String qualifiedKind, String group, String kind, String name,
      List<FieldError> errors) {
    List<StatusCause> causes = new ArrayList<>();
    for (FieldError e : errors) {
      causes.add(new StatusCauseBuilder().withReason(e.type().cause()).withMessage(e.body()).withField(e.field())
          .build());
    }
    String message = qualifiedKind + " " + SchemaValidator.quote(name) + " is invalid: "
        + SchemaValidator.aggregate(errors);
    return status(422, "Invalid", message, new StatusDetailsBuilder().withName(name).withGroup(group)
        .withKind(kind).withCauses(causes).build());
  }

  private static MockResponse status(int code, String reason, String message,
      io.fabric8.kubernetes.api.model.StatusDetails details) {
    var status = new StatusBuilder().withApiVersion("v1").withKind("Status").withNewMetadata().endMetadata()
        .withStatus("Failure").withMessage(message).withReason(reason).withCode(code).withDetails(details).build();
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }
}
