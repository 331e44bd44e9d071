/**
 * Enrichment in the person panel: the Enrich button and its progress, suggestions to
 * review, where each enriched value came from (source, time, confidence), and what
 * enrichment changed (history).
 */
import { useQuery } from '@tanstack/react-query';
import { Sparkles } from 'lucide-react';
import { api, keys } from '../api';
import { formatDateTime } from '../lib/format';
import { fieldLabel, percent, sourceLabel, valueText } from './format';
import { SuggestionList } from './Suggestions';
import { JobProgress, useEnrich } from './useEnrich';

export function EnrichSection({ personId, trashed }: { personId: string; trashed: boolean }) {
  const { active, enrichPerson } = useEnrich();
  const job = active.find((j) => j.personIds.includes(personId));
  const suggestions = useQuery({ queryKey: keys.suggestions(personId), queryFn: () => api.enrich.suggestions(personId) });
  const provenance = useQuery({ queryKey: keys.provenance(personId), queryFn: () => api.enrich.provenance(personId) });
  const history = useQuery({ queryKey: keys.history(personId), queryFn: () => api.enrich.history(personId) });
  const pending = suggestions.data ?? [];

  return (
    <section className="enrich" aria-labelledby={`enrich-${personId}`}>
      <div className="section-head">
        <h3 id={`enrich-${personId}`}>Enrichment</h3>
        <button
          type="button"
          className="btn btn-sm"
          disabled={trashed || job != null}
          onClick={() => void enrichPerson(personId)}
          title="Fill empty fields from the email, phone and name (and your enrichment services)"
        >
          <Sparkles size={14} aria-hidden /> Enrich
        </button>
      </div>
      {job && <JobProgress job={job} label="Enriching this person" />}
      {pending.length > 0 && (
        <>
          <p className="muted small">
            {pending.length} {pending.length === 1 ? 'suggestion differs' : 'suggestions differ'} from what you entered:
          </p>
          <SuggestionList personId={personId} suggestions={pending} />
        </>
      )}
      {(provenance.data?.length ?? 0) > 0 ? (
        <table className="provenance" aria-label="Enriched values and their sources">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">Confidence</th>
            </tr>
          </thead>
          <tbody>
            {provenance.data!.map((p, i) => (
              <tr key={`${p.field}-${i}`} className={`prov-${p.kind}`} title={`Recorded ${formatDateTime(p.recordedAt)}`}>
                <td>{fieldLabel(p.field)}</td>
                <td className="prov-value">{valueText(p.value)}</td>
                <td>{sourceLabel(p.source)}</td>
                <td>{percent(p.confidence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        !job && <p className="muted small">Nothing enriched yet.</p>
      )}
      {(history.data?.length ?? 0) > 0 && (
        <details className="history">
          <summary>History ({history.data!.length} changes)</summary>
          <ul>
            {history.data!.map((h) => (
              <li key={h.id}>
                <span className="muted">{formatDateTime(h.changedAt)}</span> {fieldLabel(h.field)}: {valueText(h.oldValue)} →{' '}
                {valueText(h.newValue)} <span className="muted">({h.origin === 'suggestion' ? 'accepted suggestion' : sourceLabel(h.source)})</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
