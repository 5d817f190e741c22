/**
 * Largest-Triangle-Three-Buckets down-sampling of a line, for charts: keeps the first and last
 * points and, from each of `threshold - 2` equal buckets between them, the point that makes the
 * largest triangle with the point kept before it and the mean of the next bucket. Peaks and dips
 * survive; a flat stretch costs one point.
 * Source: Sveinn Steinarsson, "Downsampling Time Series for Visual Representation", MSc thesis,
 * University of Iceland, 2013, algorithm 4.2 (https://skemman.is/handle/1946/15343); reference code
 * https://github.com/sveinn-steinarsson/flot-downsample (MIT).
 */

/** A point of a line: `x` increasing. */
export interface Point {
  x: number;
  y: number;
}

/**
 * Down-samples `points` (sorted by x) to `threshold` points.
 * @param threshold points wanted, at least 3; when it is not below `points.length`, `points` is returned as is.
 * @returns a subset of `points`, in order, with the first and the last.
 */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  if (threshold >= n || threshold < 3) return [...points];
  const out: Point[] = [points[0]];
  // Buckets over points[1 .. n-2]; each `every` wide (fractional).
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // The mean of the next bucket (the last point for the last bucket).
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += points[j].x;
      avgY += points[j].y;
    }
    const count = nextEnd - nextStart;
    if (count > 0) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = points[n - 1].x;
      avgY = points[n - 1].y;
    }
    // The point of this bucket with the largest triangle (points[a], it, the mean).
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((points[a].x - avgX) * (points[j].y - points[a].y) - (points[a].x - points[j].x) * (avgY - points[a].y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]);
    a = best;
  }
  out.push(points[n - 1]);
  return out;
}
