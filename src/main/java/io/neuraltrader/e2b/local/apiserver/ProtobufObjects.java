package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decodes the protobuf bodies kubectl sends for built-in kinds ({@code application/vnd.kubernetes.protobuf}:
 * {@code k8s\0}, then a runtime.Unknown holding the type and the object's message), for the kinds kubectl
 * creates imperatively here: {@code kubectl create configmap|secret|namespace}. Metadata: name, generateName,
 * namespace, labels, annotations, finalizers (what a create sets).
 */
final class ProtobufObjects {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufObjects() {}

  /** The object as JSON; IllegalArgumentException for another kind or a malformed body. */
  static ObjectNode decode(byte[] body) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (body.length <= i || body[i] != MAGIC[i]) {
        throw new IllegalArgumentException("not a Kubernetes protobuf body");
      }
    }
    Reader unknown = new Reader(body, MAGIC.length, body.length);
    String apiVersion = "";
    String kind = "";
    Reader raw = null;
    while (unknown.more()) {
      int field = unknown.tag();
      if (field == 1) {
        Reader typeMeta = unknown.message();
        while (typeMeta.more()) {
          int f = typeMeta.tag();
          if (f == 1) {
            apiVersion = typeMeta.string();
          } else if (f == 2) {
            kind = typeMeta.string();
          } else {
            typeMeta.skip();
          }
        }
      } else if (field == 2) {
        raw = unknown.message();
      } else {
        unknown.skip();
      }
    }
    if (!apiVersion.equals("v1") || raw == null) {
      throw new IllegalArgumentException("protobuf bodies of " + apiVersion + " " + kind + " are not decoded here");
    }
    ObjectNode object = MAPPER.createObjectNode();
    object.put("apiVersion", "v1");
    object.put("kind", kind);
    switch (kind) {
      case "ConfigMap", "Secret" -> fields(raw, object, LAYOUT.get(kind));
      case "Namespace" -> namespace(raw, object);
      default -> throw new IllegalArgumentException("protobuf bodies of v1 " + kind + " are not decoded here");
    }
    return object;
  }

  private enum Type { STRING_MAP, BYTES_MAP, STRING, BOOL }

  private record Field(String name, Type type) {}

  /** The fields after metadata (1), by number, as k8s.io/api/core/v1's generated.proto numbers them. */
  private static final java.util.Map<String, java.util.Map<Integer, Field>> LAYOUT = java.util.Map.of(
      "ConfigMap", java.util.Map.of(2, new Field("data", Type.STRING_MAP), 3, new Field("binaryData", Type.BYTES_MAP),
          4, new Field("immutable", Type.BOOL)),
      "Secret", java.util.Map.of(2, new Field("data", Type.BYTES_MAP), 3, new Field("type", Type.STRING),
          4, new Field("stringData", Type.STRING_MAP), 5, new Field("immutable", Type.BOOL)));

  private static void fields(Reader r, ObjectNode object, java.util.Map<Integer, Field> layout) {
    while (r.more()) {
      int f = r.tag();
      Field field = layout.get(f);
      if (f == 1) {
        object.set("metadata", metadata(r.message()));
      } else if (field == null) {
        r.skip();
      } else {
        switch (field.type()) {
          case STRING_MAP -> entry(r.message(), object.with(field.name()), false);
          case BYTES_MAP -> entry(r.message(), object.with(field.name()), true);
          case STRING -> object.put(field.name(), r.string());
          case BOOL -> object.put(field.name(), r.varint() != 0);
        }
      }
    }
  }

  private static void namespace(Reader r, ObjectNode object) {
    while (r.more()) {
      int f = r.tag();
      if (f == 1) {
        object.set("metadata", metadata(r.message()));
      } else if (f == 2) {
        Reader spec = r.message();
        var finalizers = object.with("spec").putArray("finalizers");
        while (spec.more()) {
          if (spec.tag() == 1) {
            finalizers.add(spec.string());
          } else {
            spec.skip();
          }
        }
      } else {
        r.skip();
      }
    }
  }

  private static ObjectNode metadata(Reader r) {
    ObjectNode metadata = MAPPER.createObjectNode();
    while (r.more()) {
      int f = r.tag();
      switch (f) {
        case 1 -> metadata.put("name", r.string());
        case 2 -> metadata.put("generateName", r.string());
        case 3 -> metadata.put("namespace", r.string());
        case 11 -> entry(r.message(), metadata.with("labels"), false);
        case 12 -> entry(r.message(), metadata.with("annotations"), false);
        case 14 -> metadata.withArray("finalizers").add(r.string());
        default -> r.skip();
      }
    }
    return metadata;
  }

  /** One map entry (1 key, 2 value); bytes values as JSON writes them, base64. */
  private static void entry(Reader r, ObjectNode map, boolean bytes) {
    String key = "";
    String value = "";
    while (r.more()) {
      int f = r.tag();
      if (f == 1) {
        key = r.string();
      } else if (f == 2) {
        byte[] v = r.bytes();
        value = bytes ? Base64.getEncoder().encodeToString(v) : new String(v, StandardCharsets.UTF_8);
      } else {
        r.skip();
      }
    }
    map.put(key, value);
  }

  /** Reads protobuf wire format from a slice of bytes. */
  private static final class Reader {
    private final byte[] data;
    private int pos;
    private final int end;
    private int wireType;

    Reader(byte[] data, int start, int end) {
      this.data = data;
      this.pos = start;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      long tag = varint();
      wireType = (int) (tag & 7);
      return (int) (tag >>> 3);
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated protobuf body");
        }
        int b = data[pos++] & 0xff;
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    byte[] bytes() {
      int length = (int) varint();
      if (length < 0 || pos + length > end) {
        throw new IllegalArgumentException("truncated protobuf body");
      }
      byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + length);
      pos += length;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      int length = (int) varint();
      if (length < 0 || pos + length > end) {
        throw new IllegalArgumentException("truncated protobuf body");
      }
      Reader inner = new Reader(data, pos, pos + length);
      pos += length;
      return inner;
    }

    void skip() {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> bytes();
        case 5 -> pos += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
    }
  }
}
