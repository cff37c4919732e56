package cn.emon.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Signatures, secrets and the Alertmanager fingerprint against published reference values. */
class WebhookSignatureTest {

  @Test
  void reproducesTheStandardWebhooksTestVector() {
    byte[] key = WebhookSignature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertThat(WebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void generatesWhsecSecretsOf32RandomBytes() {
    String a = WebhookSignature.newSecret();
    assertThat(a).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
    assertThat(WebhookSignature.newSecret()).isNotEqualTo(a);
    assertThat(WebhookSignature.key(a)).hasSize(32);
  }

  @Test
  void refusesMalformedSecrets() {
    assertThatThrownBy(() -> WebhookSignature.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasMessageStartingWith("secret:");
    assertThatThrownBy(() -> WebhookSignature.key("whsec_%%%")).hasMessageStartingWith("secret:");
    assertThatThrownBy(() -> WebhookSignature.key("whsec_AAAA")).hasMessageContaining("24 to 64");
  }

  @Test
  void fingerprintIsAlertmanagersFnv1aOfTheSortedLabels() {
    // FNV-1a 64 of the empty input is the offset basis; one label hashes name, 0xff, value, 0xff.
    assertThat(AlertmanagerLabels.fingerprint(Map.of())).isEqualTo("cbf29ce484222325");
    Map<String, String> labels = new TreeMap<>(Map.of("alertname", "ZERO_EMPLOYMENT", "household", "522701-1"));
    String fp = AlertmanagerLabels.fingerprint(labels);
    assertThat(fp).hasSize(16).matches("[0-9a-f]{16}");
    assertThat(AlertmanagerLabels.fingerprint(Map.of("household", "522701-1", "alertname", "ZERO_EMPLOYMENT")))
        .isEqualTo(fp);
    assertThat(AlertmanagerLabels.fingerprint(Map.of("alertname", "ZERO_EMPLOYMENT", "household", "522701-2")))
        .isNotEqualTo(fp);
  }
}
