package dev.weft.node.train.report;

import java.util.List;
import java.util.Locale;

/**
 * A small self-contained SVG line chart (no library, no fonts beyond the viewer's default): axes
 * with five ticks each, one coloured polyline per series, and a legend.
 */
public final class SvgPlot {
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
  private static final int W = 720, H = 420, LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 50;

  private SvgPlot() {}

  public static String render(String title, String xLabel, String yLabel, List<Series> series) {
    double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
    for (Series s : series) {
      for (double[] p : s.points()) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (minX > maxX) { // no points
      minX = 0; maxX = 1; minY = 0; maxY = 1;
    }
    if (maxX == minX) maxX = minX + 1;
    if (maxY == minY) maxY = minY + 1;
    double pad = (maxY - minY) * 0.05;
    minY -= pad;
    maxY += pad;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" text-anchor=\"middle\">%s</text>%n", W / 2, esc(title)));
    int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, TOP, pw, ph));
    for (int i = 0; i <= 4; i++) {
      double fx = minX + (maxX - minX) * i / 4, fy = minY + (maxY - minY) * i / 4;
      double px = LEFT + pw * i / 4.0, py = TOP + ph - ph * i / 4.0;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", px, TOP, px, TOP + ph));
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, py, LEFT + pw, py));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP + ph + 16, tick(fx)));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, py + 4, tick(fy)));
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + pw / 2, H - 10, esc(xLabel)));
    sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n", TOP + ph / 2, TOP + ph / 2, esc(yLabel)));
    for (int s = 0; s < series.size(); s++) {
      String colour = COLOURS[s % COLOURS.length];
      StringBuilder pts = new StringBuilder();
      for (double[] p : series.get(s).points()) {
        double px = LEFT + (p[0] - minX) / (maxX - minX) * pw, py = TOP + ph - (p[1] - minY) / (maxY - minY) * ph;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
      }
      sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour, pts.toString().trim()));
      int ly = TOP + 14 + s * 16;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n", LEFT + pw - 190, ly - 4, LEFT + pw - 170, ly - 4, colour));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + pw - 165, ly, esc(series.get(s).name())));
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static String tick(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    if (a >= 1e4) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
    if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
