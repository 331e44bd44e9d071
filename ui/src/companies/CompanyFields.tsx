/** The editable fields of a company (shared by the panel and the create dialog). */
import { TextField } from '../components/Field';

export type CompanyDraft = { name: string; domain: string; website: string; industry: string };

export const emptyCompany: CompanyDraft = { name: '', domain: '', website: '', industry: '' };

export function CompanyFields({
  draft,
  onChange,
  errorAt,
  autoFocus,
}: {
  draft: CompanyDraft;
  onChange: (d: CompanyDraft) => void;
  errorAt: (p: string) => string | null;
  autoFocus?: boolean;
}) {
  const set = (k: keyof CompanyDraft, v: string) => onChange({ ...draft, [k]: v });
  return (
    <div className="form-grid">
      <TextField label="Company name" autoFocus={autoFocus} value={draft.name} onChange={(e) => set('name', e.target.value)} error={errorAt('name')} />
      <TextField label="Domain" placeholder="acme.com" value={draft.domain} onChange={(e) => set('domain', e.target.value)} error={errorAt('domain')} />
      <TextField label="Company website" type="url" placeholder="https://acme.com" value={draft.website} onChange={(e) => set('website', e.target.value)} error={errorAt('website')} />
      <TextField label="Industry" value={draft.industry} onChange={(e) => set('industry', e.target.value)} error={errorAt('industry')} />
    </div>
  );
}

const nul = (s: string) => (s.trim() === '' ? null : s.trim());

/** Only the changed keys, as a PATCH body. */
export function companyPatch(before: CompanyDraft, after: CompanyDraft) {
  const patch: Record<string, string | null> = {};
  for (const k of Object.keys(after) as (keyof CompanyDraft)[]) {
    if (before[k] !== after[k]) patch[k] = k === 'name' ? after[k].trim() : nul(after[k]);
  }
  return patch;
}
