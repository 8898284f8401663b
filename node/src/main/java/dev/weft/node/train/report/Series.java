package dev.weft.node.train.report;

import java.util.ArrayList;
import java.util.List;

/** A named line of (x, y) points for a plot, e.g. validation loss against tokens trained. Not thread-safe. */
public final class Series {
  private final String name;
  private final List<double[]> points = new ArrayList<>();

  public Series(String name) {
    this.name = name;
  }

  public Series add(double x, double y) {
    if (Double.isFinite(x) && Double.isFinite(y)) points.add(new double[] {x, y});
    return this;
  }

  public String name() {
    return name;
  }

  public List<double[]> points() {
    return List.copyOf(points);
  }
}
