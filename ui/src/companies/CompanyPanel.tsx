/** A company's details: its fields (edited as a PATCH), its people, trash. */
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Trash2, X } from 'lucide-react';
import { api, keys, type Company } from '../api';
import { Avatar } from '../components/Avatar';
import { FormError } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useUndo } from '../lib/undo';
import { CompanyFields, companyPatch, type CompanyDraft } from './CompanyFields';
import { customDraftOf } from '../people/draft';

type Props = { id: string; onClose: () => void; onOpenPerson: (id: string) => void };

export function CompanyPanel({ id, onClose, onOpenPerson }: Props) {
  const company = useQuery({ queryKey: keys.company(id), queryFn: () => api.companies.get(id) });
  return (
    <aside className="panel" aria-label="Company details">
      {company.isPending && <div className="panel-empty">Loading…</div>}
      {company.isError && <FormError message={(company.error as Error).message} />}
      {company.data && <Loaded key={company.data.id} company={company.data} onClose={onClose} onOpenPerson={onOpenPerson} />}
    </aside>
  );
}

const draftOf = (c: Company): CompanyDraft => ({
  name: c.name,
  domain: c.domain ?? '',
  website: c.website ?? '',
  industry: c.industry ?? '',
  customFields: customDraftOf(c.customFields),
});

function Loaded({ company, onClose, onOpenPerson }: { company: Company; onClose: () => void; onOpenPerson: (id: string) => void }) {
  const saved = useMemo(() => draftOf(company), [company]);
  const [draft, setDraft] = useState(saved);
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();
  const patch = companyPatch(saved, draft);
  const dirty = Object.keys(patch).length > 0;
  useEffect(() => setDraft(saved), [saved]);

  const people = useQuery({
    queryKey: [...keys.people, 'company', company.id],
    queryFn: () =>
      api.people.list({
        search: null,
        companyId: company.id,
        tag: null,
        sort: 'name',
        descending: false,
        limit: 50,
        offset: 0,
        trashed: false,
      }),
  });

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.companies }),
      queryClient.invalidateQueries({ queryKey: keys.company(company.id) }),
      queryClient.invalidateQueries({ queryKey: keys.people }),
    ]);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.companies.update(company.id, patch);
      setErrors(noErrors);
      await refresh();
      push(`Saved ${draft.name}`, () => api.companies.update(company.id, companyPatch(draft, saved)));
    } catch (err) {
      setErrors(toFieldErrors(err, (p) => ['name', 'domain', 'website', 'industry'].includes(p) || p.startsWith('customFields.')));
    }
  }

  async function trash() {
    try {
      const c = await api.companies.trash(company.id);
      await refresh();
      push(`Moved ${c.name} to trash`, () => api.companies.restore(c.id));
      onClose();
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  return (
    <>
      <header className="panel-header">
        <Avatar id={company.id} name={company.name} size="lg" />
        <div className="panel-title">
          <h2>{company.name}</h2>
          <p className="muted">{[company.industry, company.domain].filter(Boolean).join(' · ')}</p>
        </div>
        <div className="panel-actions">
          <button type="button" className="btn btn-danger-ghost" onClick={() => void trash()}>
            <Trash2 size={14} aria-hidden /> Move to trash
          </button>
          <button type="button" className="icon-btn" aria-label="Close panel" onClick={onClose}>
            <X size={16} aria-hidden />
          </button>
        </div>
      </header>
      <div className="panel-body">
        <form onSubmit={save} noValidate aria-label="Edit company">
          <FormError message={errors.general} />
          <CompanyFields draft={draft} onChange={setDraft} errorAt={(p) => errors.byPath[p] ?? null} />
          <div className={`save-bar ${dirty ? 'save-bar-visible' : ''}`}>
            <span className="muted">{dirty ? 'Unsaved changes' : 'All changes saved'}</span>
            <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft(saved)}>
              Discard
            </button>
            <button type="submit" className="btn btn-primary" disabled={!dirty}>
              Save changes
            </button>
          </div>
        </form>
        <section aria-labelledby="company-people">
          <h3 id="company-people">People ({company.peopleCount})</h3>
          {people.data?.items.length === 0 && <p className="muted">Nobody at {company.name} yet.</p>}
          <ul className="people-list">
            {people.data?.items.map((p) => (
              <li key={p.id}>
                <button type="button" className="link-btn person-link" onClick={() => onOpenPerson(p.id)}>
                  <Avatar id={p.id} name={p.fullName} />
                  <span>{p.fullName}</span>
                  <span className="muted">{p.jobTitle ?? ''}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <p className="meta muted">
          Created {formatDateTime(company.createdAt)} · Updated {formatDateTime(company.updatedAt)}
        </p>
      </div>
    </>
  );
}
