package dev.tollgate.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GenAiTest {
  @Test
  void provider_usesTheConventionsNames() {
    assertThat(GenAi.provider("gemini")).isEqualTo("gcp.gemini");
    assertThat(GenAi.provider("vertex")).isEqualTo("gcp.vertex_ai");
    assertThat(GenAi.provider("azure")).isEqualTo("azure.ai.openai");
    assertThat(GenAi.provider("bedrock")).isEqualTo("aws.bedrock");
    assertThat(GenAi.provider("mistral")).isEqualTo("mistral_ai");
    assertThat(GenAi.provider("xai")).isEqualTo("x_ai");
    assertThat(GenAi.provider("openai")).isEqualTo("openai");
    assertThat(GenAi.provider("openrouter")).isEqualTo("openrouter");
  }

  @Test
  void operation_mapsTollgateOperations() {
    assertThat(GenAi.operation("messages")).isEqualTo("chat");
    assertThat(GenAi.operation("responses")).isEqualTo("chat");
    assertThat(GenAi.operation("completions")).isEqualTo("text_completion");
    assertThat(GenAi.operation("stream_generate_content")).isEqualTo("generate_content");
    assertThat(GenAi.operation("embeddings")).isEqualTo("embeddings");
  }

  @Test
  void server_fromRecordedEndpoint() {
    assertThat(GenAi.serverAddress("https://api.openai.com/v1/chat/completions")).isEqualTo("api.openai.com");
    assertThat(GenAi.serverPort("https://api.openai.com/v1/chat/completions")).isEqualTo(443);
    assertThat(GenAi.serverPort("http://localhost:11434/api/chat")).isEqualTo(11434);
    assertThat(GenAi.serverAddress("http://[::1]:8080/v1")).isEqualTo("::1");
    assertThat(GenAi.serverPort("http://[::1]/v1")).isEqualTo(80);
  }

  @Test
  void errorType_isTheHttpStatusOrCancelled() {
    assertThat(GenAi.errorType(record(UsageRecord.Status.ERROR, 429))).isEqualTo("429");
    assertThat(GenAi.errorType(record(UsageRecord.Status.ERROR, 0))).isEqualTo("_OTHER");
    assertThat(GenAi.errorType(record(UsageRecord.Status.CANCELLED, 200))).isEqualTo("cancelled");
    assertThat(GenAi.errorType(record(UsageRecord.Status.OK, 200))).isNull();
  }

  private static UsageRecord record(UsageRecord.Status status, int http) {
    return UsageRecord.builder().id("x").time(Instant.EPOCH).provider("openai").model("m").operation("chat").endpoint("https://a/v1")
        .status(status).httpStatus(http).cost(BigDecimal.ZERO).reservation(BigDecimal.ZERO).build();
  }
}
