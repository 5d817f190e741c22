/** A column's histogram (or its top values) as a small SVG, labelled with the counts. */

/** One bar of the small chart: what it counts and how many. */
export interface Bin {
  label: string;
  count: number;
}

/** A 120×32 bar chart of `bins`; the label lists every bin and count. */
export function Histogram({ name, bins }: { name: string; bins: Bin[] }) {
  if (bins.length === 0) return <span class="muted">–</span>;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const w = 120 / bins.length;
  const text = `${name}: ${bins.map((b) => `${b.label}: ${b.count}`).join('; ')}`;
  return (
    <svg class="histogram" viewBox="0 0 120 32" width="120" height="32" role="img" aria-label={text}>
      <title>{text}</title>
      {bins.map((b, i) => {
        const h = Math.max(b.count ? 1 : 0, (30 * b.count) / max);
        return <rect key={i} x={i * w + 0.5} y={32 - h} width={Math.max(1, w - 1)} height={h} />;
      })}
    </svg>
  );
}
