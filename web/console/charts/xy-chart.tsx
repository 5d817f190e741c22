/**
 * A chart of y against a numeric x (uPlot, as the epoch curves): the ROC curve (one, or one per
 * class), predicted against actual, residuals. Series are lines or dots (a scatter: uPlot draws points over an ascending x
 * with no path). The numbers are one click away in a table under the chart (<details>).
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { num } from '../ui';

/**
 * One series: a value (or null) per x; `dots` draws points only, `dash` a dashed reference line;
 * `spanGaps` joins its points across the nulls (a curve given only at some of the x values).
 */
export interface XySeries {
  label: string;
  values: (number | null)[];
  dots?: boolean;
  dash?: boolean;
  spanGaps?: boolean;
}

/** The text alternative: a table of rows of numbers (or labels) under named columns. */
export interface XyTable {
  columns: string[];
  rows: (number | string)[][];
}

/** Line colours in order (Tableau 10, which stays distinguishable for the common colour-vision deficiencies better than a rainbow). */
const COLOURS = ['#1f6feb', '#d9480f', '#2b8a3e', '#9c36b5', '#e8590c', '#0c8599', '#c2255c', '#5c940d', '#862e9c', '#495057'];

/**
 * A chart of `series` against `x` (ascending), with axis labels, `summary` for screen readers and
 * `table` behind "Show the numbers".
 */
export function XyChart({
  title,
  xLabel,
  yLabel,
  x,
  series,
  summary,
  table,
}: {
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: XySeries[];
  summary: string;
  table: XyTable;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const size = () => {
      const width = Math.max(240, Math.min(el.clientWidth || 420, 520));
      return { width, height: Math.round(width * 0.8) };
    };
    const plot = new uPlot(
      {
        ...size(),
        scales: { x: { time: false } },
        legend: { live: false },
        axes: [{ label: xLabel }, { label: yLabel }],
        series: [
          { label: xLabel },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.dash ? '#868e96' : COLOURS[i % COLOURS.length],
            width: s.dash ? 1 : 2,
            dash: s.dash ? [6, 4] : undefined,
            spanGaps: s.spanGaps,
            ...(s.dots ? { paths: () => null, points: { show: true, size: 5, fill: COLOURS[i % COLOURS.length] } } : { points: { show: false } }),
          })),
        ],
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = () => plot.setSize(size());
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [x, series, xLabel, yLabel]);

  return (
    <figure class="chart xy" data-points={table.rows.length}>
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${summary}`} />
      <details>
        <summary>Show the numbers ({table.rows.length} points)</summary>
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((v, j) => (
                  <td key={j}>{typeof v === 'number' ? num(v) : v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
