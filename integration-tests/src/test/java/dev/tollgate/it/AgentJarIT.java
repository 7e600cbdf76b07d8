package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shipped jar: every class is the agent's own or relocated under {@code dev.tollgate.shaded}, so
 * nothing can clash with the application's libraries; the agent's own OkHttp (for credit sources) is
 * the relocated copy, which the OkHttp instrumentation (matched by the name {@code okhttp3.*}) can
 * never hook, while the advice inlined into the application's OkHttp still speaks plain {@code okhttp3}.
 */
class AgentJarIT {

  @Test
  void everyClassIsTheAgentsOrRelocated_andTheAgentsOwnOkHttpIsNeverTheAppsOrHooked() throws IOException {
    List<String> foreign = new ArrayList<>();
    try (JarFile jar = new JarFile(Fork.AGENT_JAR.toFile())) {
      for (JarEntry e : Collections.list(jar.entries())) {
        if (e.getName().endsWith(".class") && !e.getName().startsWith("dev/tollgate/")) {
          foreign.add(e.getName());
        }
      }
      assertThat(foreign).as("classes outside dev/tollgate/").isEmpty();
      assertThat(jar.getEntry("dev/tollgate/shaded/okhttp3/internal/http/RetryAndFollowUpInterceptor.class")).isNotNull();
      assertThat(jar.getEntry("okhttp3/internal/http/RetryAndFollowUpInterceptor.class")).isNull();

      String advice = classText(jar, "dev/tollgate/agent/instrument/okhttp/OkHttpAdvice.class");
      assertThat(advice).contains("okhttp3/Interceptor$Chain").doesNotContain("dev/tollgate/shaded/okhttp3");
    }
  }

  @Test
  void manifest_namesTheAgentForPremainAttachAndTheCli_andAllowsRetransforming() throws IOException {
    try (JarFile jar = new JarFile(Fork.AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("dev.tollgate.agent.TollgateAgent");
      assertThat(main.getValue("Agent-Class")).isEqualTo("dev.tollgate.agent.TollgateAgent");
      assertThat(main.getValue("Main-Class")).isEqualTo("dev.tollgate.agent.TollgateAgent");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      // Bytecode for Java 11, whatever JDK built it: major version 55.
      try (InputStream in = jar.getInputStream(jar.getEntry("dev/tollgate/agent/TollgateAgent.class"))) {
        byte[] header = in.readNBytes(8);
        assertThat(((header[6] & 0xff) << 8) | (header[7] & 0xff)).isEqualTo(55);
      }
    }
  }

  private static String classText(JarFile jar, String name) throws IOException {
    try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
