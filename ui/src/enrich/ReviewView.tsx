/**
 * The Review screen: every pending suggestion grouped by person (accept / reject one by
 * one or per person), the enrichment jobs with their state and Cancel, and the user's
 * HTTP enrichment endpoint.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, keys, type Job, type Suggestion } from '../api';
import { Avatar } from '../components/Avatar';
import { TextField } from '../components/Field';
import { formatDateTime } from '../lib/format';
import { SuggestionList } from './Suggestions';
import { useEnrich } from './useEnrich';

export function ReviewView({ onOpenPerson }: { onOpenPerson: (id: string) => void }) {
  const suggestions = useQuery({ queryKey: keys.suggestions(null), queryFn: () => api.enrich.suggestions(null) });
  const byPerson = new Map<string, Suggestion[]>();
  for (const s of suggestions.data ?? []) byPerson.set(s.personId, [...(byPerson.get(s.personId) ?? []), s]);
  return (
    <div className="view">
      <div className="view-main review-view">
        <div className="toolbar">
          <h1 className="view-title">Review</h1>
          <span className="muted">
            {suggestions.data ? `${suggestions.data.length} pending ${suggestions.data.length === 1 ? 'suggestion' : 'suggestions'}` : 'Loading…'}
          </span>
        </div>
        <div className="review-body">
          <section aria-labelledby="review-suggestions">
            <h2 id="review-suggestions">Suggestions</h2>
            {byPerson.size === 0 && suggestions.data && (
              <p className="muted">Nothing to review: enrichment has not proposed anything that differs from what you entered.</p>
            )}
            {[...byPerson.entries()].map(([personId, list]) => (
              <PersonSuggestions key={personId} personId={personId} list={list} onOpen={() => onOpenPerson(personId)} />
            ))}
          </section>
          <JobsSection />
          <EndpointSection />
        </div>
      </div>
    </div>
  );
}

function PersonSuggestions({ personId, list, onOpen }: { personId: string; list: Suggestion[]; onOpen: () => void }) {
  const person = useQuery({ queryKey: keys.person(personId), queryFn: () => api.people.get(personId) });
  const name = person.data?.fullName ?? '…';
  return (
    <article className="review-person" aria-label={`Suggestions for ${name}`}>
      <header>
        <Avatar id={personId} name={name} />
        <button type="button" className="btn-link" onClick={onOpen}>
          {name}
        </button>
        <span className="muted small">{person.data?.emails[0]?.value}</span>
      </header>
      <SuggestionList personId={personId} suggestions={list} />
    </article>
  );
}

const stateLabel: Record<Job['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Whether a job's people came from a search or filter (not "everyone", not a selection). */
function isFiltered(j: Job): boolean {
  if (j.kind === 'enrich_search') return true;
  if (j.kind !== 'enrich_query' || !j.query) return false;
  try {
    const q = JSON.parse(j.query) as { search?: string | null; companyId?: string | null; tag?: string | null; filters?: unknown[] };
    return Boolean(q.search || q.companyId || q.tag || q.filters?.length);
  } catch {
    return true;
  }
}

function JobsSection() {
  const jobs = useQuery({ queryKey: keys.enrichJobs, queryFn: () => api.enrich.jobs(20) });
  const { active, cancel } = useEnrich();
  const live = new Map(active.map((j) => [j.id, j]));
  return (
    <section aria-labelledby="review-jobs">
      <h2 id="review-jobs">Jobs</h2>
      {jobs.data?.length === 0 && <p className="muted">No enrichment has run yet. Open a person and choose Enrich.</p>}
      {(jobs.data?.length ?? 0) > 0 && (
        <table className="simple-table jobs-table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">What</th>
              <th scope="col">State</th>
              <th scope="col">Progress</th>
              <th scope="col">Filled</th>
              <th scope="col">To review</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.data!.map((stored) => {
              const j = live.get(stored.id) ?? stored;
              const what = j.kind === 'enrich_person' ? '1 person' : `${j.total} people${isFiltered(j) ? ' (filtered)' : ''}`;
              return (
                <tr key={j.id}>
                  <td>{formatDateTime(j.createdAt)}</td>
                  <td>{what}</td>
                  <td title={j.error ?? undefined} className={j.state === 'failed' ? 'danger' : undefined}>
                    {stateLabel[j.state]}
                    {j.error ? `: ${j.error}` : ''}
                  </td>
                  <td>
                    {j.done} / {j.total}
                  </td>
                  <td>{j.filled}</td>
                  <td>{j.suggested}</td>
                  <td>
                    {(j.state === 'queued' || j.state === 'running') && (
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void cancel(j.id)} aria-label="Cancel job">
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EndpointSection() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['enrich', 'settings'], queryFn: api.enrich.settings });
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const value = url ?? settings.data?.endpointUrl ?? '';
  async function save(next: string | null) {
    try {
      await api.enrich.setEndpoint(next);
      setError(null);
      setUrl(null);
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['enrich', 'settings'] });
    } catch (err) {
      setError((err as Error).message);
      setSaved(false);
    }
  }
  return (
    <section aria-labelledby="review-endpoint">
      <h2 id="review-endpoint">Enrichment service</h2>
      <form
        className="endpoint-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(value.trim() || null);
        }}
      >
        <TextField
          label="Enrichment endpoint URL"
          value={value}
          placeholder="https://enrich.example.com/person"
          onChange={(e) => {
            setUrl(e.target.value);
            setSaved(false);
          }}
          error={error}
          hint="Carnet POSTs the person's JSON and fills empty fields from the answer. Its token comes from CARNET_ENRICH_TOKEN and is never stored."
        />
        <button type="submit" className="btn btn-sm">
          Save endpoint
        </button>
        {settings.data?.endpointUrl && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void save(null)}>
            Remove endpoint
          </button>
        )}
        {saved && <span className="muted small">Saved.</span>}
      </form>
    </section>
  );
}
