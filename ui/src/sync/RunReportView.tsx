/**
 * One sync run person by person: outcome (created / updated / unchanged / skipped /
 * failed) with the reason and the fields the CRM did not receive, filterable by outcome;
 * for a preview, what would be sent.
 */
import { useState } from 'react';
import type { ItemReport, RunReport } from '../api';
import { formatDateTime } from '../lib/format';

const OUTCOMES = ['created', 'updated', 'unchanged', 'skipped', 'failed'] as const;
type OutcomeName = (typeof OUTCOMES)[number];

export function summaryText(r: RunReport): string {
  const s = r.summary;
  const parts = OUTCOMES.filter((o) => s[o] > 0).map((o) => `${s[o]} ${o}`);
  return parts.length ? parts.join(', ') : 'nothing to send';
}

export function RunReportView({ report, account }: { report: RunReport; account: string }) {
  const [only, setOnly] = useState<OutcomeName | null>(null);
  const items: ItemReport[] = report.items.filter((i) => only === null || i.outcome === only);
  const verb = (o: OutcomeName) => (report.dryRun && (o === 'created' || o === 'updated') ? `would be ${o}` : o);
  return (
    <section className="run-report" aria-labelledby="run-report-title">
      <h2 id="run-report-title">
        {report.dryRun ? 'Preview' : 'Push'} to {account} · {formatDateTime(report.startedAt)} · {report.status}
      </h2>
      {report.error && (
        <div className="form-error" role="alert">
          {report.error}
        </div>
      )}
      <div className="outcome-filter" role="group" aria-label="Show outcome">
        <button type="button" className={`chip ${only === null ? 'chip-on' : ''}`} aria-pressed={only === null} onClick={() => setOnly(null)}>
          All {report.items.length}
        </button>
        {OUTCOMES.map((o) => (
          <button
            key={o}
            type="button"
            className={`chip chip-${o} ${only === o ? 'chip-on' : ''}`}
            aria-pressed={only === o}
            onClick={() => setOnly(o)}
            data-testid={`summary-${o}`}
          >
            {verb(o)} {report.summary[o]}
          </button>
        ))}
      </div>
      {report.items.length === 0 ? (
        <p className="muted">No person in this run{report.status === 'running' ? ' yet' : ''}.</p>
      ) : (
        <table className="simple-table report-table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reason</th>
              <th scope="col">Not sent</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.personId} data-testid="report-row">
                <td>{i.personName || i.personId}</td>
                <td>
                  <span className={`chip chip-${i.outcome}`}>{verb(i.outcome)}</span>
                </td>
                <td>
                  {i.reason ?? ''}
                  {report.dryRun && i.payload != null && (
                    <details>
                      <summary>What would be sent</summary>
                      <pre className="payload">{JSON.stringify(i.payload, null, 2)}</pre>
                    </details>
                  )}
                </td>
                <td className="small">{i.dropped?.map((d) => `${d.field}: ${d.reason}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
