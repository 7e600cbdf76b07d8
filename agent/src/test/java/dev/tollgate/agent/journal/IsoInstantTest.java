package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The journal's time field must stay exactly {@code Instant.toString()}: readers parse it. */
class IsoInstantTest {

  @Test
  void write_anyInstant_isInstantToString() throws IOException {
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong() % 400_000_000_000L;
      int[] nanos = {0, random.nextInt(1000) * 1_000_000, random.nextInt(1_000_000) * 1_000, random.nextInt(1_000_000_000)};
      Instant t = Instant.ofEpochSecond(seconds, nanos[random.nextInt(nanos.length)]);

      assertThat(written(t)).isEqualTo('"' + t.toString() + '"');
    }
  }

  @Test
  void write_edges_isInstantToString() throws IOException {
    for (String s : new String[] {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.001Z", "1969-12-31T23:59:59.000001Z", "+10000-01-01T00:00:00Z", "-0001-12-31T00:00:00Z"}) {
      Instant t = Instant.parse(s);

      assertThat(written(t)).isEqualTo('"' + t.toString() + '"');
    }
  }

  private static String written(Instant t) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      IsoInstant.write(g, t, new char[IsoInstant.MAX_LENGTH]);
    }
    return out.toString();
  }
}
