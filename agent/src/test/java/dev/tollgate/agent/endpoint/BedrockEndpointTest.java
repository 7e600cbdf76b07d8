package dev.tollgate.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BedrockEndpointTest {
  private final EndpointCatalog catalog = EndpointCatalog.builtIn();

  @Test
  void classify_bedrockRuntimeInAnyRegion_isTheBedrockOperation() {
    Operation converse = catalog.classify("POST",
        "https://bedrock-runtime.eu-west-3.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
    Operation stream = catalog.classify("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse-stream");
    Operation invoke = catalog.classify("POST", "https://bedrock-runtime-fips.us-west-2.amazonaws.com/model/meta.llama3-3-70b-instruct-v1%3A0/invoke");
    Operation invokeStream = catalog.classify("POST",
        "https://bedrock-runtime.cn-north-1.amazonaws.com.cn/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream");

    assertThat(converse.provider()).isEqualTo("bedrock");
    assertThat(converse.name()).isEqualTo("converse");
    assertThat(stream.name()).isEqualTo("converse_stream");
    assertThat(stream.alwaysStreams()).isTrue();
    assertThat(invoke.name()).isEqualTo("invoke");
    assertThat(invokeStream.name()).isEqualTo("invoke_stream");
  }

  @Test
  void classify_otherAwsHostsAndPaths_isNotMetered() {
    assertThat(catalog.classify("POST", "https://bedrock.us-east-1.amazonaws.com/model/x/invoke")).isNull();
    assertThat(catalog.classify("POST", "https://s3.us-east-1.amazonaws.com/bucket/invoke")).isNull();
    assertThat(catalog.classify("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/guardrail/g1/version/1/apply")).isNull();
    assertThat(catalog.classify("POST", "https://evil.com/bedrock-runtime.us-east-1.amazonaws.com/model/x/invoke")).isNull();
    assertThat(catalog.mayMeterHost("bedrock-runtime.us-east-1.amazonaws.com")).isTrue();
    assertThat(catalog.mayMeterHost("bedrock-runtime..amazonaws.com")).isFalse(); // the star stands for one character at least
    assertThat(catalog.mayMeterHost("sqs.us-east-1.amazonaws.com")).isFalse();
  }

  @Test
  void modelInPath_isUrlDecoded_profilesAndArnsIncluded() {
    Operation op = catalog.classify("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse");
    Endpoint e = op.endpoint();

    assertThat(e.modelInPath("https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"))
        .isEqualTo("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(e.modelInPath("https://bedrock-runtime.us-east-1.amazonaws.com/model/"
        + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-pro-v1%3A0/invoke"))
        .isEqualTo("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0");
  }
}
