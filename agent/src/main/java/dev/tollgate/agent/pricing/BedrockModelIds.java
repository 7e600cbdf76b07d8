package dev.tollgate.agent.pricing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names a Bedrock model id can be priced under, most specific first. Bedrock calls name a model
 * by its base id ({@code anthropic.claude-sonnet-4-5-20250929-v1:0}), by a cross-region inference
 * profile ({@code us.}, {@code eu.}, {@code apac.}, {@code global.} … before the base id), or by an
 * ARN of either ({@code arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic…},
 * {@code …:foundation-model/amazon.nova-pro-v1:0}). A profile is priced as its model unless the
 * catalog has an entry for the profile itself; a vendor's model is last priced as the vendor's own
 * name ({@code claude-sonnet-4-5-20250929}), so a Claude id the Bedrock table lacks still prices.
 * Application inference profiles and provisioned models have opaque ids: they resolve to nothing.
 */
final class BedrockModelIds {
  /** A region group before a vendor's dotted id: {@code us.}, {@code us-gov.}, {@code eu.}, {@code apac.}, {@code global.} … */
  private static final Pattern PROFILE = Pattern.compile("^(?:us|us-gov|eu|apac|jp|au|ca|global)\\.(?=[a-z0-9-]+\\.)");
  /** A Bedrock id: {@code vendor.model}, optionally {@code -vN}, {@code :N}. */
  private static final Pattern VENDOR_ID = Pattern.compile("^(?:anthropic|amazon|meta|cohere|mistral|ai21|deepseek|openai|qwen|writer)\\.(.+?)(?:-v\\d+)?(?::\\d+)?$");

  private BedrockModelIds() {}

  /** The names to try after {@code model} itself; empty when it is no Bedrock id. */
  static List<String> candidates(String model) {
    List<String> names = new ArrayList<>(3);
    String id = model;
    if (id.startsWith("arn:")) {
      int slash = id.lastIndexOf('/');
      if (slash < 0) {
        return names;
      }
      id = id.substring(slash + 1);
      names.add(id);
    }
    String base = PROFILE.matcher(id).replaceFirst("");
    if (!base.equals(id)) {
      names.add(base);
    }
    java.util.regex.Matcher vendor = VENDOR_ID.matcher(base);
    if (vendor.matches() && base.startsWith("anthropic.")) {
      names.add(vendor.group(1)); // the vendor's own name: Claude costs the same on Bedrock
    }
    return names;
  }
}
