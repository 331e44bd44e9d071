/**
 * Typed editors of a record's custom fields, grouped by the fields' groups in schema
 * order: text, long text, number, date, yes/no, URL, email, phone, single and multi
 * select over the defined options, and person/company references picked by name.
 *
 * Values are kept as their editors hold them (see `CustomValue`); core validates them on
 * save and its error, at `customFields.<key>`, is shown under the input it names.
 */
import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useDebounce } from 'use-debounce';
import { api, keys, type FieldDef, type FieldEntity } from '../api';
import type { CustomValue, CustomValues } from '../people/draft';

type Props = {
  entity: FieldEntity;
  values: CustomValues;
  onChange: (v: CustomValues) => void;
  errorAt: (path: string) => string | null;
};

/** The field definitions of people or companies, cached for every form and column. */
export function useFieldDefs(entity: FieldEntity) {
  return useQuery({ queryKey: keys.fields(entity), queryFn: () => api.fields.list(entity), staleTime: 30_000 });
}

/** Fields split by group, in schema order; ungrouped fields come last. */
export function groupFields(defs: FieldDef[]): [string | null, FieldDef[]][] {
  const groups = new Map<string | null, FieldDef[]>();
  for (const d of defs) {
    const g = d.group?.trim() || null;
    groups.set(g, [...(groups.get(g) ?? []), d]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : 0));
}

export function CustomFieldInputs({ entity, values, onChange, errorAt }: Props) {
  const defs = useFieldDefs(entity);
  if (!defs.data || defs.data.length === 0) return null;
  const set = (key: string, v: CustomValue) => onChange({ ...values, [key]: v });
  return (
    <>
      {groupFields(defs.data).map(([group, fields]) => (
        <fieldset className="list-editor custom-fields" key={group ?? ''}>
          <legend>{group ?? (fields.length === defs.data.length ? 'Custom fields' : 'Other fields')}</legend>
          <div className="form-grid">
            {fields.map((f) => (
              <CustomFieldInput
                key={f.key}
                def={f}
                value={values[f.key]}
                onChange={(v) => set(f.key, v)}
                error={errorAt(`customFields.${f.key}`)}
              />
            ))}
          </div>
        </fieldset>
      ))}
    </>
  );
}

type InputProps = { def: FieldDef; value: CustomValue | undefined; onChange: (v: CustomValue) => void; error: string | null };

const INPUT_TYPE: Partial<Record<FieldDef['type'], string>> = {
  text: 'text',
  number: 'text',
  date: 'date',
  url: 'url',
  email: 'email',
  phone: 'tel',
};

/** One labelled editor, chosen by the field's type. */
export function CustomFieldInput({ def, value, onChange, error }: InputProps) {
  const id = useId();
  const errId = `${id}-err`;
  const a11y = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errId : undefined };
  const text = typeof value === 'string' ? value : '';
  const label = `${def.label}${def.required ? ' *' : ''}`;
  let control: React.ReactNode;
  switch (def.type) {
    case 'long_text':
      control = <textarea {...a11y} className="input" rows={3} value={text} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'boolean':
      control = (
        <select
          {...a11y}
          className="input"
          value={value === true ? 'yes' : value === false ? 'no' : ''}
          onChange={(e) => onChange(e.target.value === 'yes' ? true : e.target.value === 'no' ? false : '')}
        >
          <option value="">—</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      );
      break;
    case 'single_select':
      control = (
        <select {...a11y} className="input" value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {def.options.map((o) => (
            <option key={o.label} value={o.label}>
              {o.label}
            </option>
          ))}
          {text && !def.options.some((o) => o.label === text) && <option value={text}>{text}</option>}
        </select>
      );
      break;
    case 'multi_select': {
      const chosen = Array.isArray(value) ? value : [];
      control = (
        <div {...a11y} role="group" aria-labelledby={`${id}-label`} className="check-list">
          {def.options.map((o) => (
            <label key={o.label} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(o.label)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...chosen, o.label] : chosen.filter((c) => c !== o.label))
                }
              />
              {o.label}
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'person_ref':
    case 'company_ref':
      control = <RefInput a11y={a11y} kind={def.type === 'person_ref' ? 'person' : 'company'} value={text} onChange={onChange} />;
      break;
    default:
      control = (
        <input
          {...a11y}
          className="input"
          type={INPUT_TYPE[def.type] ?? 'text'}
          inputMode={def.type === 'number' ? 'decimal' : undefined}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="off"
        />
      );
  }
  return (
    <div className={`field ${def.type === 'long_text' || def.type === 'multi_select' ? 'field-wide' : ''}`}>
      {def.type === 'multi_select' ? (
        <span className="label" id={`${id}-label`}>
          {label}
        </span>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {control}
      {def.description && !error && <div className="field-hint">{def.description}</div>}
      {error && (
        <div id={errId} className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

type RefProps = {
  a11y: { id: string };
  kind: 'person' | 'company';
  value: string;
  onChange: (v: string) => void;
};

/**
 * A reference: type a name, pick the match from the list (its value is the id), or
 * paste an id. The linked record's name is shown under the input.
 */
function RefInput({ a11y, kind, value, onChange }: RefProps) {
  const [typed, setTyped] = useState('');
  const [q] = useDebounce(typed.trim(), 150);
  const listId = `${a11y.id}-list`;
  const matches = useQuery({
    queryKey: [kind === 'person' ? 'people' : 'companies', 'ref-suggest', q],
    queryFn: async () =>
      kind === 'person'
        ? (await api.people.list({ search: q || null, limit: 20 })).items.map((p) => ({ id: p.id, name: p.fullName }))
        : (await api.companies.list({ search: q || null, limit: 20 })).items.map((c) => ({ id: c.id, name: c.name })),
    enabled: q.length > 0,
  });
  const linked = useQuery({
    queryKey: ['ref-name', kind, value],
    queryFn: async () => (kind === 'person' ? (await api.people.get(value)).fullName : (await api.companies.get(value)).name),
    enabled: /^[0-9a-f-]{36}$/i.test(value),
    retry: false,
  });
  return (
    <>
      <input
        {...a11y}
        className="input"
        list={listId}
        value={value}
        placeholder={kind === 'person' ? 'Type a name or an id' : 'Type a company or an id'}
        onChange={(e) => {
          setTyped(e.target.value);
          onChange(e.target.value);
        }}
        autoComplete="off"
        spellCheck={false}
      />
      <datalist id={listId}>
        {matches.data?.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </datalist>
      {value && linked.data && <div className="field-hint">→ {linked.data}</div>}
    </>
  );
}
