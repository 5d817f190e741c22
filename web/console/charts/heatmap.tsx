/**
 * Heat maps as HTML tables whose cells are shaded by their number and print it: the confusion
 * matrix and the correlation matrix. No chart library: the table is its own text alternative. Each
 * sits in a ScrollBox, so a matrix of many classes or columns scrolls instead of widening the page.
 */
import { ScrollBox } from '../scroll-box';

/**
 * A cell's background, `rgb` at `alpha` over white, and its text colour: black or white, whichever
 * contrasts more (at least 4.58:1 either way, so WCAG AA holds at any shade).
 */
export function shade(rgb: [number, number, number], alpha: number): { background: string; color: string } {
  const mixed = rgb.map((c) => 255 - alpha * (255 - c));
  const linear = mixed.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  return { background: `rgba(${rgb.join(', ')}, ${alpha.toFixed(3)})`, color: 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 ? '#fff' : '#000' };
}

const BLUE: [number, number, number] = [31, 111, 235];
const ORANGE: [number, number, number] = [217, 72, 15];

/**
 * A confusion matrix as a heat map: cells shaded by count, with the count printed in each cell
 * (rows: actual class, columns: predicted class).
 */
export function ConfusionMatrix({ matrix, classes }: { matrix: number[][]; classes: string[] }) {
  const max = Math.max(1, ...matrix.flat());
  const label = (i: number) => classes[i] ?? String(i);
  return (
    <figure class="heatmap">
      <figcaption>Confusion matrix (rows: actual, columns: predicted)</figcaption>
      <ScrollBox label="Confusion matrix table">
        <table>
          <thead>
            <tr>
              <th scope="col">actual \ predicted</th>
              {matrix[0]?.map((_, j) => (
                <th scope="col" key={j}>
                  {label(j)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, i) => (
              <tr key={i}>
                <th scope="row">{label(i)}</th>
                {row.map((count, j) => {
                  const share = count / max;
                  return (
                    <td key={j} style={shade(BLUE, 0.08 + 0.92 * share)} title={`actual ${label(i)}, predicted ${label(j)}: ${count}`}>
                      {count}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </figure>
  );
}

/**
 * A correlation matrix as a heat map: an HTML table whose cells are shaded by Pearson's r (blue
 * positive, orange negative, stronger for larger |r|), with r printed in each cell ("–" undefined).
 */
export function CorrelationHeatmap({ columns, rows, omitted }: { columns: string[]; rows: { column: string; pearson: (number | null)[] }[]; omitted: number }) {
  return (
    <figure class="heatmap correlations">
      <figcaption>Correlations (Pearson's r) between numeric columns{omitted ? `; ${omitted} more columns left out` : ''}</figcaption>
      <ScrollBox label="Correlations table">
        <table>
          <thead>
            <tr>
              <th scope="col">column</th>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ column, pearson }) => (
              <tr key={column}>
                <th scope="row">{column}</th>
                {pearson.map((r, j) => (
                  <td
                    key={j}
                    style={r == null ? undefined : shade(r >= 0 ? BLUE : ORANGE, 0.92 * Math.abs(r))}
                    title={`${column} and ${columns[j]}: r = ${r == null ? 'undefined' : r.toFixed(2)}`}
                  >
                    {r == null ? '–' : r.toFixed(2)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </figure>
  );
}
