package io.neuraltrader.e2b.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufObjectsTest {
  /** Length-delimited field {@code field} holding {@code value}. */
  private static byte[] field(int field, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(field << 3 | 2);
    out.write(value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] field(int field, String value) {
    return field(field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] envelope(String kind, byte[] object) {
    return concat(new byte[] {'k', '8', 's', 0}, field(1, concat(field(1, "v1"), field(2, kind))), field(2, object));
  }

  private static byte[] metadata() {
    return field(1, concat(field(1, "settings"), field(3, "default"), field(11, concat(field(1, "app"), field(2, "x")))));
  }

  @Test
  void aConfigMapAsKubectlCreateSendsIt() {
    byte[] object = concat(metadata(), field(2, concat(field(1, "LOG_LEVEL"), field(2, "info"))),
        field(3, concat(field(1, "blob"), field(2, new byte[] {1, 2}))), new byte[] {4 << 3, 1});

    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":"
        + "\"default\",\"labels\":{\"app\":\"x\"}},\"data\":{\"LOG_LEVEL\":\"info\"},\"binaryData\":{\"blob\":\"AQI=\"},"
        + "\"immutable\":true}", ProtobufObjects.decode(envelope("ConfigMap", object)).toString());
  }

  @Test
  void aSecretsDataIsBytesAndItsTypeAString() {
    byte[] object = concat(metadata(), field(2, concat(field(1, "token"), field(2, "t0k"))), field(3, "Opaque"));

    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"settings\",\"namespace\":"
        + "\"default\",\"labels\":{\"app\":\"x\"}},\"data\":{\"token\":\"dDBr\"},\"type\":\"Opaque\"}",
        ProtobufObjects.decode(envelope("Secret", object)).toString());
  }

  @Test
  void otherKindsAndOtherBodiesAreNotDecoded() {
    assertThrows(IllegalArgumentException.class, () -> ProtobufObjects.decode(envelope("Pod", metadata())));
    assertThrows(IllegalArgumentException.class, () -> ProtobufObjects.decode("{}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> ProtobufObjects.decode(new byte[] {'k', '8', 's', 0, 10, 50}));
  }
}
