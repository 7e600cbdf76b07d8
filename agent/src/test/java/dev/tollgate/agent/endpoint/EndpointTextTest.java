package dev.tollgate.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the journal records of a URL: never a query, a fragment or credentials. */
class EndpointTextTest {

  @ParameterizedTest
  @CsvSource({
      "https://api.openai.com/v1/chat/completions, https://api.openai.com/v1/chat/completions",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaSySECRET, https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
      "https://x.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21&api-key=SECRET, https://x.openai.azure.com/openai/deployments/gpt4o/chat/completions",
      "http://127.0.0.1:8080/v1/messages, http://127.0.0.1:8080/v1/messages",
      "http://[::1]:8080/v1/messages?x=1, http://[::1]:8080/v1/messages",
      "https://api.openai.com/v1/chat/completions#frag, https://api.openai.com/v1/chat/completions",
      "https://api.openai.com/v1/chat/completions?, https://api.openai.com/v1/chat/completions",
      "https://api.openai.com, https://api.openai.com",
      "https://api.openai.com?token=SECRET, https://api.openai.com"})
  void of_stripsQueryAndFragment(String url, String recorded) {
    assertThat(EndpointText.of(url)).isEqualTo(recorded);
  }

  @ParameterizedTest
  @CsvSource({
      "https://user:SECRET@proxy.example.com/v1/chat/completions, https://proxy.example.com/v1/chat/completions",
      "https://sk-SECRET@proxy.example.com:8443/v1/messages?q=1, https://proxy.example.com:8443/v1/messages",
      "http://us%40er:p%40SECRET@host/v1, http://host/v1",
      "https://user:SECRET@host, https://host",
      "https://user:SECRET@host?x=1, https://host"})
  void of_stripsUserInfo(String url, String recorded) {
    assertThat(EndpointText.of(url)).isEqualTo(recorded).doesNotContain("SECRET").doesNotContain("@");
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.example.com/v1/users/@me/chat/completions, https://api.example.com/v1/users/@me/chat/completions",
      "https://api.example.com/v1/chat/completions?user=a@b.c, https://api.example.com/v1/chat/completions"})
  void of_atSignOutsideAuthority_isNotUserInfo(String url, String recorded) {
    assertThat(EndpointText.of(url)).isEqualTo(recorded);
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.openai.com/v1/chat/completions#section?key=SECRET, https://api.openai.com/v1/chat/completions",
      "https://user:SECRET@host/v1#a?b, https://host/v1"})
  void of_fragmentBeforeQuestionMark_isStripped(String url, String recorded) {
    // Regression: a '?' inside the fragment was taken for the query start, so the fragment was kept.
    assertThat(EndpointText.of(url)).isEqualTo(recorded);
  }
}
