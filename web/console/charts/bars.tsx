/**
 * Signed horizontal bars (attributions, importances) as plain HTML: each bar's number is printed
 * beside it, so the chart is its own text alternative. A label too long for its column (a
 * 150-character column name) is cut with an ellipsis on screen; its full text stays in the page
 * (what a screen reader reads) and is the label's title (shown on hover).
 */
import { num } from '../ui';

/** One bar: a label and a signed value. */
export interface Bar {
  label: string;
  value: number;
  note?: string;
}

/** Bars sorted by |value|, positive to the right (blue), negative to the left (orange). */
export function Bars({ title, bars }: { title: string; bars: Bar[] }) {
  const sorted = [...bars].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const max = Math.max(1e-12, ...sorted.map((b) => Math.abs(b.value)));
  return (
    <figure class="bars">
      <figcaption>{title}</figcaption>
      <ul aria-label={title}>
        {sorted.map((b) => (
          <li key={b.label}>
            <span class="bar-label" title={b.note ? `${b.label} = ${b.note}` : b.label}>
              <span class="bar-name">{b.label}</span>
              {b.note ? <span class="muted">&nbsp;= {b.note}</span> : null}
            </span>
            <span class="bar-track" aria-hidden="true">
              <span class={b.value >= 0 ? 'bar pos' : 'bar neg'} style={{ width: `${(50 * Math.abs(b.value)) / max}%`, [b.value >= 0 ? 'left' : 'right']: '50%' }} />
            </span>
            <span class="bar-value">{(b.value >= 0 ? '+' : '') + num(b.value, 3)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
