/**
 * What an import did (or, for a preview, would do): the counts, whether anything was
 * written, and every rejected record with its card / line and the reason.
 */
import type { ImportReport } from '../api';

const COUNTS = ['created', 'updated', 'unchanged', 'skipped', 'invalid'] as const;

function reportText(r: ImportReport): string {
  const lines = [COUNTS.map((c) => `${c}: ${r[c]}`).join(', ')];
  for (const x of r.rejected) lines.push(`${x.location}${x.name ? ` (${x.name})` : ''}: ${x.error.field ?? ''} ${x.error.message}`.trim());
  return lines.join('\n');
}

function verdict(r: ImportReport): string {
  if (r.dryRun) {
    if (r.invalid > 0 && !r.committed)
      return `Preview: ${r.invalid} of ${r.total} records are invalid. Import writes nothing unless you keep the valid ones.`;
    return `Preview of ${r.total} records: nothing has been written yet.`;
  }
  if (r.cancelled) return 'Cancelled: nothing was written.';
  if (!r.committed) return `Nothing was written: ${r.invalid} of ${r.total} records are invalid. Fix them, or keep the valid ones and import again.`;
  return `Imported ${r.total - r.invalid} of ${r.total} records in ${(r.elapsedMs / 1000).toFixed(1)} s.`;
}

export function ImportReportView({ report }: { report: ImportReport }) {
  // Nothing is written by a preview, a cancel or a refused file: the counts are what the
  // records read so far would have done.
  const would = report.dryRun ? 'would be ' : report.committed ? '' : 'would have been ';
  return (
    <section className="import-report" aria-label={report.dryRun ? 'Import preview' : 'Import result'} data-testid="import-report">
      <p className={`verdict ${!report.dryRun && !report.committed ? 'danger' : ''}`}>{verdict(report)}</p>
      <dl className="import-counts">
        {COUNTS.map((c) => (
          <div key={c} className={`count-${c}`} data-testid={`import-${c}`}>
            <dt>{c === 'invalid' ? 'invalid' : `${would}${c}`}</dt>
            <dd>{report[c].toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {report.rejected.length > 0 && (
        <>
          <table className="simple-table rejected-table" aria-label="Rejected records">
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">Record</th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.slice(0, 200).map((x) => (
                <tr key={x.position} data-testid="rejected-row">
                  <td>{x.location}</td>
                  <td>{x.name ?? '—'}</td>
                  <td>
                    <code>{x.error.field ?? ''}</code>
                  </td>
                  <td>{x.error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.rejected.length > 200 && <p className="muted small">…and {report.rejected.length - 200} more (copy the report for all).</p>}
        </>
      )}
      {report.warnings.length > 0 && (
        <details>
          <summary>
            {report.warnings.length} {report.warnings.length === 1 ? 'note' : 'notes'} on imported records
          </summary>
          <ul className="small">
            {report.warnings.slice(0, 200).map((w, i) => (
              <li key={i}>
                {w.location}: {w.field} — {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void navigator.clipboard?.writeText(reportText(report))}>
        Copy report
      </button>
    </section>
  );
}
