/** The editable fields of a company, its custom fields included (shared by the panel and the create dialog). */
import { TextField } from '../components/Field';
import { CustomFieldInputs } from '../fields/CustomFieldInputs';
import { customInputOf, customPatch, type CustomValues } from '../people/draft';

export type CompanyDraft = { name: string; domain: string; website: string; industry: string; customFields: CustomValues };

export const emptyCompany: CompanyDraft = { name: '', domain: '', website: '', industry: '', customFields: {} };

type TextKey = 'name' | 'domain' | 'website' | 'industry';
const TEXT_KEYS: TextKey[] = ['name', 'domain', 'website', 'industry'];

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
  const set = (k: TextKey, v: string) => onChange({ ...draft, [k]: v });
  return (
    <>
      <div className="form-grid">
        <TextField label="Company name" autoFocus={autoFocus} value={draft.name} onChange={(e) => set('name', e.target.value)} error={errorAt('name')} />
        <TextField label="Domain" placeholder="acme.com" value={draft.domain} onChange={(e) => set('domain', e.target.value)} error={errorAt('domain')} />
        <TextField label="Company website" type="url" placeholder="https://acme.com" value={draft.website} onChange={(e) => set('website', e.target.value)} error={errorAt('website')} />
        <TextField label="Industry" value={draft.industry} onChange={(e) => set('industry', e.target.value)} error={errorAt('industry')} />
      </div>
      <CustomFieldInputs entity="company" values={draft.customFields} onChange={(v) => onChange({ ...draft, customFields: v })} errorAt={errorAt} />
    </>
  );
}

const nul = (s: string) => (s.trim() === '' ? null : s.trim());

/** Only the changed keys, as a PATCH body (custom fields merge key by key). */
export function companyPatch(before: CompanyDraft, after: CompanyDraft) {
  const patch: Record<string, unknown> = {};
  for (const k of TEXT_KEYS) {
    if (before[k] !== after[k]) patch[k] = k === 'name' ? after[k].trim() : nul(after[k]);
  }
  const cf = customPatch(customInputOf(before.customFields), customInputOf(after.customFields));
  if (cf) patch.customFields = cf;
  return patch;
}
