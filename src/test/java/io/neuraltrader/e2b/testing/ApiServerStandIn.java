package io.neuraltrader.e2b.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * What the in-memory API needs to answer like a kube-apiserver in front of its CRUD store, for the operator's
 * requests that are not plain storage:
 * <ul>
 *   <li>SelfSubjectRulesReview (JOSDK's leader election asks for its rules before campaigning): the mock
 *       authorizes every request, so the review says so, as it would for a cluster-admin;</li>
 *   <li>optionally, the operator's group unserved (404, as when its CRDs are not installed);</li>
 *   <li>optionally, every request seen, for recording on the server side.</li>
 * </ul>
 */
public final class ApiServerStandIn extends Dispatcher {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Dispatcher delegate;
  private volatile boolean crdsMissing;
  private volatile Consumer<RecordedRequest> observer = r -> { };

  private ApiServerStandIn(Dispatcher delegate) {
    this.delegate = delegate;
  }

  public static ApiServerStandIn install(KubernetesMockServer server) {
    return ApiFaults.wrap(server, ApiServerStandIn::new);
  }

  /** Answers 404 for the operator's API group from now on. */
  public ApiServerStandIn withoutCrds() {
    crdsMissing = true;
    return this;
  }

  /** The body of a request, without consuming it (the store still reads it). */
  public static String body(RecordedRequest request) {
    return request.getBody() == null ? null
        : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Sees each request before it is answered; use {@link #body} to read a body. */
  public ApiServerStandIn observe(Consumer<RecordedRequest> observer) {
    this.observer = observer;
    return this;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    observer.accept(request);
    String path = request.getPath();
    if (crdsMissing && path.startsWith("/apis/e2b.neuraltrader.io/")) {
      return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
          .setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\","
              + "\"code\":404,\"message\":\"the server could not find the requested resource\"}");
    }
    if ("POST".equalsIgnoreCase(request.getMethod())
        && path.startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
          .setBody(allowEverything(body(request)));
    }
    return delegate.dispatch(request);
  }

  private static String allowEverything(String body) {
    try {
      JsonNode review = body == null || body.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
      ObjectNode out = review.isObject() ? (ObjectNode) review : MAPPER.createObjectNode();
      out.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectRulesReview");
      ObjectNode status = out.putObject("status");
      ObjectNode rule = status.putArray("resourceRules").addObject();
      rule.putArray("verbs").add("*");
      rule.putArray("apiGroups").add("*");
      rule.putArray("resources").add("*");
      ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
      nonResource.putArray("verbs").add("*");
      nonResource.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
      return MAPPER.writeValueAsString(out);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a SelfSubjectRulesReview: " + e.getMessage(), e);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
