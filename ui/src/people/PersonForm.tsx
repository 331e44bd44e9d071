/**
 * The fields of a person, for both the create dialog and the person panel. Controlled:
 * the owner keeps the draft and the errors from the last save.
 */
import { TextAreaField, TextField } from '../components/Field';
import { ListEditor } from './ListEditor';
import type { AddressItem, CompanyItem, Draft, Item } from './draft';
import { CustomFieldInputs } from '../fields/CustomFieldInputs';
import { useQuery } from '@tanstack/react-query';
import { api, keys } from '../api';

type Props = {
  draft: Draft;
  onChange: (d: Draft) => void;
  errorAt: (path: string) => string | null;
  /** Prefix for datalist ids, unique per form instance. */
  idPrefix: string;
  autoFocus?: boolean;
};

const blankItem = (): Item => ({ value: '', label: '' });

/** The value + label lists, in the order the form shows them (companies go between). */
const SIMPLE_LISTS: {
  path: 'emails' | 'phones' | 'urls';
  title: string;
  label: string;
  addLabel: string;
  type: string;
  placeholder: string;
  labelPlaceholder: string;
}[] = [
  { path: 'emails', title: 'Emails', label: 'Email', addLabel: 'Add email', type: 'email', placeholder: 'name@example.com', labelPlaceholder: 'work' },
  { path: 'phones', title: 'Phones', label: 'Phone', addLabel: 'Add phone', type: 'tel', placeholder: '+1 415 555 0100', labelPlaceholder: 'mobile' },
  { path: 'urls', title: 'Websites', label: 'Website', addLabel: 'Add website', type: 'url', placeholder: 'https://', labelPlaceholder: 'linkedin' },
];
const blankAddress = (): AddressItem => ({
  value: '',
  label: '',
  street: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
});

export function PersonForm({ draft, onChange, errorAt, idPrefix, autoFocus }: Props) {
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => onChange({ ...draft, [k]: v });
  const labels = `${idPrefix}-labels`;
  const companyNames = `${idPrefix}-companies`;
  // Suggestions for the company inputs: the first page of companies by name.
  const companies = useQuery({
    queryKey: [...keys.companies, 'suggest'],
    queryFn: () => api.companies.list({ search: null, limit: 100, offset: 0, trashed: false }),
  });

  const simpleList = (l: (typeof SIMPLE_LISTS)[number]) => (
    <ListEditor<Item>
      key={l.path}
      title={l.title}
      path={l.path}
      addLabel={l.addLabel}
      items={draft[l.path]}
      blank={blankItem}
      onChange={(v) => set(l.path, v)}
      errorAt={errorAt}
      fields={[
        { key: 'value', label: l.label, type: l.type, placeholder: l.placeholder, wide: true },
        { key: 'label', label: `${l.label} label`, list: labels, placeholder: l.labelPlaceholder },
      ]}
    />
  );

  return (
    <div className="person-form">
      <datalist id={labels}>
        {['work', 'home', 'mobile', 'personal', 'other'].map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
      <datalist id={companyNames}>
        {companies.data?.items.map((c) => <option key={c.id} value={c.name} />)}
      </datalist>

      <div className="form-grid">
        <TextField
          label="First name"
          autoFocus={autoFocus}
          value={draft.firstName}
          onChange={(e) => set('firstName', e.target.value)}
          error={errorAt('firstName')}
          autoComplete="off"
        />
        <TextField
          label="Last name"
          value={draft.lastName}
          onChange={(e) => set('lastName', e.target.value)}
          error={errorAt('lastName')}
          autoComplete="off"
        />
        <TextField
          label="Display name"
          hint="Leave empty to use first and last name"
          value={draft.fullName}
          onChange={(e) => set('fullName', e.target.value)}
          error={errorAt('fullName')}
          autoComplete="off"
        />
        <TextField
          label="Job title"
          value={draft.jobTitle}
          onChange={(e) => set('jobTitle', e.target.value)}
          error={errorAt('jobTitle')}
        />
        <TextField
          label="Birthday"
          placeholder="1990-04-21 or --04-21"
          value={draft.birthday}
          onChange={(e) => set('birthday', e.target.value)}
          error={errorAt('birthday')}
        />
        <TextField
          label="Tags"
          placeholder="investor, friend"
          hint="Separate tags with commas"
          value={draft.tags}
          onChange={(e) => set('tags', e.target.value)}
          error={errorAt('tags')}
        />
      </div>

      {SIMPLE_LISTS.slice(0, 2).map(simpleList)}
      {/* Custom fields come right after the contact lists: they are what a CRM user edits most. */}
      <CustomFieldInputs entity="person" values={draft.customFields} onChange={(v) => set('customFields', v)} errorAt={errorAt} />

      <ListEditor<CompanyItem>
        title="Companies"
        path="companies"
        addLabel="Add company"
        items={draft.companies}
        blank={() => ({ id: null, name: '' })}
        onChange={(v) =>
          // A typed name replaces the linked id: core finds the company by name, or creates it.
          set(
            'companies',
            v.map((c, i) => (draft.companies[i] && c.name !== draft.companies[i].name ? { id: null, name: c.name } : c)),
          )
        }
        errorAt={errorAt}
        fields={[{ key: 'name', label: 'Company', list: companyNames, placeholder: 'Acme Inc.', wide: true }]}
      />
      {SIMPLE_LISTS.slice(2).map(simpleList)}
      <ListEditor<AddressItem>
        title="Addresses"
        path="addresses"
        addLabel="Add address"
        items={draft.addresses}
        blank={blankAddress}
        onChange={(v) => set('addresses', v)}
        errorAt={errorAt}
        fields={[
          { key: 'value', label: 'Address', placeholder: '1 Main St, Springfield', wide: true },
          { key: 'label', label: 'Address label', list: labels, placeholder: 'home' },
          { key: 'city', label: 'City' },
          { key: 'postalCode', label: 'Postal code' },
          { key: 'country', label: 'Country' },
        ]}
      />

      <div className="form-grid">
        <TextField
          label="Latitude"
          inputMode="decimal"
          value={draft.latitude}
          onChange={(e) => set('latitude', e.target.value)}
          error={errorAt('latitude')}
        />
        <TextField
          label="Longitude"
          inputMode="decimal"
          value={draft.longitude}
          onChange={(e) => set('longitude', e.target.value)}
          error={errorAt('longitude')}
        />
      </div>
      <TextAreaField
        label="Description"
        rows={3}
        value={draft.description}
        onChange={(e) => set('description', e.target.value)}
        error={errorAt('description')}
      />
    </div>
  );
}
