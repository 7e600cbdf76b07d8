package dev.tollgate.agent.config;

import dev.tollgate.agent.log.Log;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * A JSON file's syntax error in plain words: {@code line 1, column 12: unexpected end-of-input …}, where
 * Jackson's message carries its internals ({@code [Source: REDACTED (`StreamReadFeature…` disabled);
 * line: 1, column: 12]}). Never quotes the file's content, which may hold a secret.
 */
public final class JsonErrors {
  /** Jackson's location, with whatever it says of the source (REDACTED, or a quote of the input). */
  private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", Pattern.DOTALL);

  /** A token Jackson quotes back ({@code Unrecognized token 'sk-…'}): it may be a secret. */
  private static final Pattern QUOTED_TOKEN = Pattern.compile("token '[^']*'");

  private JsonErrors() {}

  /** {@code line L, column C: what} (just {@code what} when Jackson gave no location). */
  public static String describe(JsonProcessingException e) {
    String what = String.valueOf(e.getOriginalMessage());
    what = SOURCE.matcher(what).replaceAll("line $1, column $2");
    what = QUOTED_TOKEN.matcher(what).replaceAll("token");
    int nl = what.indexOf('\n');
    what = nl < 0 ? what : what.substring(0, nl);
    what = Log.clause(what);
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? what : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what;
  }
}
