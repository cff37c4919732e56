package cn.emon.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard on its own: every blocked form of address is refused without an allow-list,
 * whatever way it is written, and the allow-list opens exactly what it names. Only literals and
 * {@code localhost} are used: nothing here touches the network.
 */
class WebhookTargetPolicyTest {

  private final TargetPolicy closed = new TargetPolicy(List.of());

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1/hook",
      "http://127.0.0.2:8080/",
      "http://localhost/",
      "http://localhost./",
      "http://[::1]/",
      "http://[0:0:0:0:0:0:0:1]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://172.16.5.4/",
      "http://192.168.1.1/",
      "http://100.100.100.200/",
      "http://0.0.0.0/",
      "http://[::]/",
      "http://224.0.0.1/",
      "http://255.255.255.255/",
      "http://[fc00::1]/",
      "http://[fd00:ec2::254]/",
      "http://[fe80::1]/",
      "http://[ff02::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:7f00:1]/",
      "http://[::ffff:169.254.169.254]/",
      "http://[::ffff:10.0.0.1]/",
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::7f00:1]/",
      "http://[2002:7f00:1::]/",
      "http://2130706433/",
      "http://0x7f000001/",
      "http://0x7F.0.0.1/",
      "http://0177.0.0.1/",
      "http://017700000001/",
      "http://127.1/",
      "http://3232235777/",
      "https://127.0.0.1:443/"})
  void refusesEveryBlockedFormWithoutTheAllowList(String url) {
    assertThatThrownBy(() -> closed.check(url))
        .isInstanceOf(TargetPolicy.RefusedTarget.class)
        .hasMessageStartingWith("url: ");
  }

  @Test
  void jdkReadsDecimalButNotHexIpv4SoNumericFormsAreRefusedOutright() throws Exception {
    // What the JDK does with the forms, which is why they are refused before any lookup.
    assertThat(java.net.InetAddress.getByName("2130706433").isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> java.net.InetAddress.getByName("0x7f000001"))
        .isInstanceOf(java.net.UnknownHostException.class);
    assertThat(java.net.InetAddress.getByName("0177.0.0.1").getHostAddress()).isEqualTo("177.0.0.1");
    assertThatThrownBy(() -> closed.check("http://2130706433/")).hasMessageContaining("dotted quad");
    assertThatThrownBy(() -> closed.check("http://0x7f000001/")).hasMessageContaining("dotted quad");
    assertThatThrownBy(() -> closed.check("http://0177.0.0.1/")).hasMessageContaining("dotted quad");
  }

  @Test
  void namesTheKindOfAddressWithoutEchoingIt() {
    assertThatThrownBy(() -> closed.check("http://169.254.169.254/")).hasMessageContaining("link-local or cloud-metadata")
        .hasMessageNotContaining("169.254");
    assertThatThrownBy(() -> closed.check("http://[::1]/")).hasMessageContaining("loopback");
    assertThatThrownBy(() -> closed.check("http://10.0.0.1/")).hasMessageContaining("RFC 1918");
    assertThatThrownBy(() -> closed.check("http://[fd12::1]/")).hasMessageContaining("RFC 4193");
  }

  @Test
  void acceptsPublicAddresses() {
    assertThat(closed.check("https://8.8.8.8/hook").getHost()).isEqualTo("8.8.8.8");
    assertThat(closed.check("http://[2001:4860:4860::8888]:8080/x").getPort()).isEqualTo(8080);
    assertThat(closed.check("http://1.1.1.1/").getScheme()).isEqualTo("http");
  }

  @Test
  void refusesWhatIsNotAnHttpUrl() {
    for (String url : List.of("ftp://8.8.8.8/", "file:///etc/passwd", "gopher://8.8.8.8/", "//8.8.8.8/",
        "http:///path", "http://user:pw@8.8.8.8/", "http://8.8.8.8/#frag", "not a url")) {
      assertThatThrownBy(() -> closed.check(url)).as(url).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void allowListOpensRangesAndHostNamesOnly() {
    TargetPolicy open = new TargetPolicy(List.of("127.0.0.1/32", "10.20.0.0/16", "localhost", "fd00::/8"));
    assertThat(open.check("http://127.0.0.1:9000/").getPort()).isEqualTo(9000);
    assertThat(open.check("http://10.20.3.4/").getHost()).isEqualTo("10.20.3.4");
    assertThat(open.check("http://[::ffff:127.0.0.1]/").getHost()).isEqualTo("[::ffff:127.0.0.1]");
    assertThat(open.check("http://LOCALHOST/").getHost()).isEqualTo("LOCALHOST");
    assertThat(open.check("http://[fd00::5]/").getHost()).isEqualTo("[fd00::5]");
    assertThatThrownBy(() -> open.check("http://127.0.0.2/")).isInstanceOf(TargetPolicy.RefusedTarget.class);
    assertThatThrownBy(() -> open.check("http://10.21.0.1/")).isInstanceOf(TargetPolicy.RefusedTarget.class);
    assertThatThrownBy(() -> open.check("http://169.254.169.254/")).isInstanceOf(TargetPolicy.RefusedTarget.class);
    assertThatThrownBy(() -> open.check("http://2130706433/")).isInstanceOf(TargetPolicy.RefusedTarget.class);
  }

  @Test
  void rangesMatchByPrefix() {
    TargetPolicy.Cidr range = TargetPolicy.Cidr.parse("172.16.0.0/12");
    assertThat(range.contains(new byte[] {(byte) 172, 31, (byte) 255, 1})).isTrue();
    assertThat(range.contains(new byte[] {(byte) 172, 32, 0, 1})).isFalse();
    assertThatThrownBy(() -> TargetPolicy.Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TargetPolicy(List.of("10.0.0.0/abc"))).isInstanceOf(RuntimeException.class);
  }
}
