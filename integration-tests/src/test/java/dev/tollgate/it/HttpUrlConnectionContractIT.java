package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.UrlConnectionApp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * {@code HttpURLConnection} under the {@link ClientContractIT} scenarios, read the way such code usually
 * is: the status, then {@code getInputStream} or, on an error, {@code getErrorStream}, line by line.
 */
class HttpUrlConnectionContractIT extends ClientContractIT {
  @Override
  List<String> variants() {
    return List.of("jdk");
  }

  @Override
  Class<?> app() {
    return UrlConnectionApp.class;
  }

  /** {@code gc}: getResponseCode's own stream dropped and collected before the app reads the body. */
  @Override
  List<String> jsonModes(String variant) {
    return List.of("post", "connect", "gc");
  }

  @Override
  List<String> streamModes(String variant) {
    return List.of("post", "chunked");
  }

  @Override
  List<String> errorModes(String variant) {
    return List.of("post");
  }

  @Override
  List<String> blockedModes(String variant) {
    return List.of("post", "connect", "fixed", "chunked");
  }

  @Override
  List<String> plainModes(String variant) {
    return List.of("post", "openstream");
  }

  /** Fixed-length streaming is decided from the declared length alone: no body, no model in the message. */
  @Override
  List<String> exceptionModes(String variant) {
    return List.of("post", "fixed");
  }

  /** Fixed-length and chunked streaming send the body as it is written, after the call is decided. */
  @Override
  boolean decidesFromTheBody(String mode) {
    return !mode.equals("fixed") && !mode.equals("chunked");
  }

  @Override
  boolean readsLines(String mode) {
    return true;
  }

  /** {@code openstream} is a GET through {@code URL.openStream()}, its bytes printed in Base64. */
  @Override
  List<String> body(Slice s, String mode) {
    if (mode.equals("openstream")) {
      return s.lines("BYTES ").stream().map(b -> new String(Base64.getDecoder().decode(b), StandardCharsets.UTF_8)).collect(
          java.util.stream.Collectors.toList());
    }
    return super.body(s, mode);
  }

  @Override
  String sentBody(String mode, String json) {
    return mode.equals("openstream") ? "" : json;
  }

  @Override
  void moreOnJson(Slice s, String mode) {
    assertThat(requests(s.id)).singleElement().satisfies(r -> assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(
        Fixtures.OPENAI_REQUEST.length())));
  }

  @Override
  void moreOnErrorAnswer(Slice s, String mode, int status) {
    assertThat(s.lines("INPUT_ERROR ")).as(s.toString()).singleElement().asString()
        .startsWith("java.io.IOException Server returned HTTP response code: " + status);
  }

  @Override
  void moreOnBlocked(Slice s, String mode, String url) {
    assertThat(s.lines("MESSAGE ")).as(s.toString()).containsExactly("Payment Required");
    assertThat(s.lines("TYPE ")).containsExactly("application/json; charset=utf-8");
    assertThat(s.lines("FIELDS ")).containsExactly("[true]");
    assertThat(s.lines("FIRST ")).containsExactly("Content-Type=application/json; charset=utf-8");
    assertThat(s.lines("INPUT_ERROR ")).containsExactly("java.io.IOException Server returned HTTP response code: 402 for URL: " + url);
  }

  @Override
  void assertThrownCreditsExhausted(Slice s, String endpoint) {
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().startsWith("dev.tollgate.api.CreditsExhaustedException");
  }
}
