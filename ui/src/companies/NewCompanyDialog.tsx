import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, keys, type Company } from '../api';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { CompanyFields, companyPatch, emptyCompany } from './CompanyFields';

type Props = { open: boolean; onClose: () => void; onCreated: (c: Company) => void };

/** The "New company" form. */
export function NewCompanyDialog({ open, onClose, onCreated }: Props) {
  const [draft, setDraft] = useState(emptyCompany);
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const queryClient = useQueryClient();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    try {
      const c = await api.companies.create(companyPatch(emptyCompany, draft));
      await queryClient.invalidateQueries({ queryKey: keys.companies });
      setDraft(emptyCompany);
      setErrors(noErrors);
      onCreated(c);
    } catch (err) {
      setErrors(toFieldErrors(err, (p) => ['name', 'domain', 'website', 'industry'].includes(p) || p.startsWith('customFields.')));
    }
  }

  return (
    <Dialog open={open} title="New company" onClose={onClose}>
      <form className="dialog-body" onSubmit={submit} noValidate aria-label="New company">
        <FormError message={errors.general} />
        <CompanyFields draft={draft} onChange={setDraft} errorAt={(p) => errors.byPath[p] ?? null} autoFocus />
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary">
            Create company
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
