package dev.tollgate.agent.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The report's charts as inline SVG: stacked vertical bars over time, signed bars (drift) and
 * horizontal bars (top lists). Every bar is a {@code rect class="bar"} carrying its exact figure in
 * {@code data-value} and a {@code <title>} tooltip, so tests and readers see the numbers behind it.
 */
final class Svg {
  static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c9c9c"};
  private static final int WIDTH = 960;
  private static final int HEIGHT = 200;
  private static final int LEFT = 90;
  private static final int BOTTOM = 28;
  private static final int TOP = 12;

  private Svg() {}

  /**
   * Bars per bucket ({@code labels}), each a stack of {@code series}; {@code values[bucket][series]}.
   * Zero parts draw nothing.
   */
  static String stacked(String id, List<String> labels, List<String> series, long[][] values, LongFunction<String> format) {
    long max = 1;
    for (long[] bucket : values) {
      long sum = 0;
      for (long v : bucket) {
        sum += Math.max(0, v);
      }
      max = Math.max(max, sum);
    }
    StringBuilder svg = open(id, HEIGHT);
    axis(svg, format.apply(max), format.apply(0));
    double slot = (double) (WIDTH - LEFT - 10) / Math.max(1, labels.size());
    double bar = Math.max(1, slot * 0.8);
    for (int b = 0; b < labels.size(); b++) {
      double x = LEFT + b * slot + (slot - bar) / 2;
      double y = HEIGHT - BOTTOM;
      for (int s = 0; s < series.size(); s++) {
        long v = values[b][s];
        if (v <= 0) {
          continue;
        }
        double h = (HEIGHT - BOTTOM - TOP) * (double) v / max;
        y -= h;
        rect(svg, x, y, bar, h, color(s), series.get(s), labels.get(b), format.apply(v));
      }
    }
    xLabels(svg, labels, slot);
    return svg.append("</svg>").toString();
  }

  /** One bar per bucket, up for positive values and down for negative ones (drift: remote − local). */
  static String signed(String id, List<String> labels, long[] values, LongFunction<String> format) {
    long max = 1;
    for (long v : values) {
      max = Math.max(max, Math.abs(v));
    }
    StringBuilder svg = open(id, HEIGHT);
    double mid = TOP + (HEIGHT - BOTTOM - TOP) / 2.0;
    text(svg, LEFT - 6, TOP + 10, "end", "+" + format.apply(max));
    text(svg, LEFT - 6, mid + 4, "end", format.apply(0));
    text(svg, LEFT - 6, HEIGHT - BOTTOM, "end", "-" + format.apply(max));
    svg.append(
        String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"axis\"/>", LEFT, mid, WIDTH - 10, mid));
    double slot = (double) (WIDTH - LEFT - 10) / Math.max(1, labels.size());
    double bar = Math.max(1, slot * 0.8);
    for (int b = 0; b < labels.size(); b++) {
      if (values[b] == 0) {
        continue;
      }
      double h = (HEIGHT - BOTTOM - TOP) / 2.0 * Math.abs(values[b]) / max;
      rect(svg, LEFT + b * slot + (slot - bar) / 2, values[b] > 0 ? mid - h : mid, bar, h, values[b] > 0 ? COLORS[3] : COLORS[0], "drift",
          labels.get(b), format.apply(values[b]));
    }
    xLabels(svg, labels, slot);
    return svg.append("</svg>").toString();
  }

  /** One horizontal bar per label, longest first as given. */
  static String horizontal(String id, List<String> labels, long[] values, LongFunction<String> format) {
    int row = 22;
    int height = Math.max(1, labels.size()) * row + 8;
    long max = 1;
    for (long v : values) {
      max = Math.max(max, v);
    }
    StringBuilder svg = open(id, height);
    int left = 220;
    for (int i = 0; i < labels.size(); i++) {
      double w = Math.max(values[i] > 0 ? 1 : 0, (WIDTH - left - 140) * (double) values[i] / max);
      int y = 4 + i * row;
      text(svg, left - 8, y + 15, "end", clip(labels.get(i)));
      rect(svg, left, y + 2, w, row - 6, color(i), labels.get(i), labels.get(i), format.apply(values[i]));
      text(svg, left + w + 6, y + 15, "start", format.apply(values[i]));
    }
    return svg.append("</svg>").toString();
  }

  static String color(int series) {
    return COLORS[Math.min(series, COLORS.length - 1)];
  }

  private static StringBuilder open(String id, int height) {
    return new StringBuilder(4096).append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(Html.escape(id))
        .append("\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\">");
  }

  private static void axis(StringBuilder svg, String max, String zero) {
    int base = HEIGHT - BOTTOM;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", LEFT, TOP, WIDTH - 10, TOP));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", LEFT, base, WIDTH - 10, base));
    text(svg, LEFT - 6, TOP + 4, "end", max);
    text(svg, LEFT - 6, base, "end", zero);
  }

  private static void xLabels(StringBuilder svg, List<String> labels, double slot) {
    int every = Math.max(1, (int) Math.ceil(labels.size() / 8.0));
    for (int b = 0; b < labels.size(); b += every) {
      text(svg, LEFT + b * slot + slot / 2, HEIGHT - 8, "middle", labels.get(b));
    }
  }

  private static void rect(StringBuilder svg, double x, double y, double w, double h, String fill, String series, String bucket,
      String value) {
    svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", x, y, w,
        h, fill))
        .append(" data-series=\"").append(Html.escape(series)).append("\" data-bucket=\"").append(Html.escape(bucket))
        .append("\" data-value=\"").append(Html.escape(value)).append("\"><title>")
        .append(Html.escape(bucket + " · " + series + ": " + value))
        .append("</title></rect>");
  }

  private static void text(StringBuilder svg, double x, double y, String anchor, String text) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor)).append(Html.escape(text))
        .append("</text>");
  }

  private static String clip(String s) {
    return s.length() > 32 ? s.substring(0, 31) + "…" : s;
  }
}
