package cn.emon.export;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * {@code Content-Disposition: attachment} with a file name in Chinese (RFC 6266): an ASCII
 * {@code filename} for old clients and the UTF-8 {@code filename*} (RFC 5987) that browsers and
 * Excel use.
 */
final class Attachment {

  private static final String ATTR_CHARS = "!#$&+-.^_`|~";

  private Attachment() {}

  static HttpHeader header(String fileName, String asciiFallback) {
    return HttpHeader.parse("Content-Disposition",
        "attachment; filename=\"" + asciiFallback + "\"; filename*=UTF-8''" + encode(fileName));
  }

  /** RFC 5987 {@code value-chars}: attr-chars as they are, every other UTF-8 byte as %XX. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ATTR_CHARS.indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
