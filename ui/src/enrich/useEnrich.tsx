/**
 * Enrichment jobs as the window sees them: one subscription to the backend's events,
 * the jobs still queued or running (with their progress), and cache invalidation when a
 * person changes or a job ends, so every view refreshes without polling.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, keys, type Job } from '../api';
import { useUndo } from '../lib/undo';
import { useBackendEvent } from '../lib/useEvent';
import { Progress } from '../components/Progress';

type Ctx = {
  /** Jobs queued or running, newest first. */
  active: Job[];
  /** Queue one person; the result reaches `active` through the events. */
  enrichPerson: (personId: string) => Promise<void>;
  cancel: (jobId: string) => Promise<void>;
};

const EnrichCtx = createContext<Ctx | null>(null);

const isActive = (j: Job) => j.state === 'queued' || j.state === 'running';

export function EnrichProvider({ children }: { children: ReactNode }) {
  const [jobs, setJobs] = useState<Record<string, Job>>({});
  const queryClient = useQueryClient();
  const { notify } = useUndo();

  const put = (j: Job) => setJobs((m) => ({ ...m, [j.id]: j }));
  useBackendEvent(
    api.enrich.onEvent,
    (e) => {
      switch (e.type) {
        case 'jobQueued':
        case 'jobStarted':
          put(e.job);
          break;
        case 'jobProgress':
          setJobs((m) => (m[e.jobId] ? { ...m, [e.jobId]: { ...m[e.jobId], done: e.done, total: e.total, state: 'running' } } : m));
          break;
        case 'jobFinished': {
          setJobs((m) => {
            const { [e.job.id]: _, ...rest } = m;
            return rest;
          });
          const j = e.job;
          if (j.state === 'failed') notify(`Enrichment failed: ${j.error ?? 'unknown error'}`, 'error');
          else if (j.state === 'done')
            notify(`Enriched ${j.done} ${j.done === 1 ? 'person' : 'people'}: ${j.filled} filled, ${j.suggested} to review`);
          void queryClient.invalidateQueries({ queryKey: ['enrich'] });
          void queryClient.invalidateQueries({ queryKey: keys.people });
          break;
        }
        case 'personChanged':
          void queryClient.invalidateQueries({ queryKey: keys.person(e.personId) });
          void queryClient.invalidateQueries({ queryKey: keys.provenance(e.personId) });
          void queryClient.invalidateQueries({ queryKey: keys.history(e.personId) });
          void queryClient.invalidateQueries({ queryKey: keys.people });
          void queryClient.invalidateQueries({ queryKey: keys.companies });
          break;
      }
    },
    [queryClient, notify],
  );
  // Jobs a previous run left unfinished resume in the backend: show them too.
  useEffect(() => {
    void api.enrich.jobs(50).then((list) => setJobs((m) => ({ ...Object.fromEntries(list.filter(isActive).map((j) => [j.id, j])), ...m })));
  }, []);

  const value = useMemo<Ctx>(
    () => ({
      active: Object.values(jobs)
        .filter(isActive)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      enrichPerson: async (personId) => {
        try {
          await api.enrich.person(personId);
        } catch (err) {
          notify((err as Error).message, 'error');
        }
      },
      cancel: async (jobId) => {
        try {
          await api.enrich.cancel(jobId);
        } catch (err) {
          notify((err as Error).message, 'error');
        }
      },
    }),
    [jobs, notify],
  );
  return <EnrichCtx.Provider value={value}>{children}</EnrichCtx.Provider>;
}

export function useEnrich(): Ctx {
  const c = useContext(EnrichCtx);
  if (!c) throw new Error('useEnrich outside EnrichProvider');
  return c;
}

/** A job's progress bar with its counts and a Cancel button. */
export function JobProgress({ job, label }: { job: Job; label: string }) {
  const { cancel } = useEnrich();
  return (
    <Progress
      label={label}
      done={job.done}
      total={job.total}
      onCancel={() => void cancel(job.id)}
      cancelLabel={`Cancel ${label.toLowerCase()}`}
      testId="enrich-progress"
    />
  );
}

/** The status bar's view of every running enrichment. */
export function EnrichStatus() {
  const { active } = useEnrich();
  if (active.length === 0) return null;
  const job = active[0];
  const more = active.length > 1 ? ` (+${active.length - 1} queued)` : '';
  return <JobProgress job={job} label={`Enriching${more}`} />;
}
