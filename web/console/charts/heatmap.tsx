/**
 * A confusion matrix as a heat map: an HTML table whose cells are shaded by count, with the count
 * printed in each cell (rows: actual class, columns: predicted class).
 */
export function ConfusionMatrix({ matrix, classes }: { matrix: number[][]; classes: string[] }) {
  const max = Math.max(1, ...matrix.flat());
  const label = (i: number) => classes[i] ?? String(i);
  return (
    <figure class="heatmap">
      <figcaption>Confusion matrix (rows: actual, columns: predicted)</figcaption>
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
                  <td
                    key={j}
                    class={share > 0.55 ? 'dark' : ''}
                    style={{ background: `rgba(31, 111, 235, ${(0.08 + 0.92 * share).toFixed(3)})` }}
                    title={`actual ${label(i)}, predicted ${label(j)}: ${count}`}
                  >
                    {count}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
