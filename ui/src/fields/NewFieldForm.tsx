/** "Add a field": label, type, options (select types), group, required. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { api, keys, type FieldEntity, type FieldType } from '../api';
import { FormError } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { useUndo } from '../lib/undo';

export const TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  long_text: 'Long text',
  number: 'Number',
  date: 'Date',
  boolean: 'Yes / no',
  url: 'Web address',
  email: 'Email',
  phone: 'Phone',
  single_select: 'Single select',
  multi_select: 'Multi select',
  person_ref: 'Person',
  company_ref: 'Company',
};

export const isSelect = (t: FieldType) => t === 'single_select' || t === 'multi_select';

/** Options typed one per line (or separated by commas), blanks dropped. */
export const parseOptions = (s: string) =>
  s
    .split(/[\n,]/)
    .map((o) => o.trim())
    .filter(Boolean)
    .map((label) => ({ label }));

/** Paths of backend errors this form shows beside an input. */
const FORM_PATHS = ['label', 'type', 'options', 'group', 'description'];

export function NewFieldForm({ entity, groups }: { entity: FieldEntity; groups: string[] }) {
  const [label, setLabel] = useState('');
  const [type, setType] = useState<FieldType>('text');
  const [options, setOptions] = useState('');
  const [group, setGroup] = useState('');
  const [required, setRequired] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const { notify } = useUndo();
  const err = (p: string) => errors.byPath[p] ?? null;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const def = await api.fields.create({
        entity,
        label,
        type,
        required,
        group: group.trim() || null,
        options: isSelect(type) ? parseOptions(options) : [],
      });
      setErrors(noErrors);
      setLabel('');
      setOptions('');
      setRequired(false);
      await queryClient.invalidateQueries({ queryKey: keys.allFields });
      notify(`Added the field “${def.label}” (${def.key})`);
    } catch (err) {
      setErrors(toFieldErrors(err, (p) => FORM_PATHS.includes(p) || p.startsWith('options')));
    } finally {
      setBusy(false);
    }
  }

  const optErr = Object.entries(errors.byPath).find(([p]) => p.startsWith('options'))?.[1] ?? null;
  return (
    <form className="new-field" onSubmit={submit} noValidate aria-label="Add a field">
      <h2>Add a field</h2>
      <FormError message={errors.general} />
      <div className="form-grid">
        <Labelled id="nf-label" label="Field label" error={err('label')}>
          <input
            id="nf-label"
            className="input"
            value={label}
            placeholder="Plan, Renewal date, Account owner…"
            onChange={(e) => setLabel(e.target.value)}
            aria-invalid={err('label') ? true : undefined}
            autoComplete="off"
          />
        </Labelled>
        <Labelled id="nf-type" label="Type" error={err('type')}>
          <select id="nf-type" className="input" value={type} onChange={(e) => setType(e.target.value as FieldType)}>
            {Object.entries(TYPE_LABELS).map(([t, l]) => (
              <option key={t} value={t}>
                {l}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled id="nf-group" label="Group" error={err('group')}>
          <input
            id="nf-group"
            className="input"
            list="nf-groups"
            value={group}
            placeholder="none"
            onChange={(e) => setGroup(e.target.value)}
            autoComplete="off"
          />
          <datalist id="nf-groups">
            {groups.map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
        </Labelled>
        <div className="field field-check">
          <label className="check">
            <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
            Required
          </label>
        </div>
        {isSelect(type) && (
          <Labelled id="nf-options" label="Options" error={optErr} hint="One per line, in display order" wide>
            <textarea
              id="nf-options"
              className="input"
              rows={3}
              value={options}
              placeholder={'Free\nPro\nEnterprise'}
              onChange={(e) => setOptions(e.target.value)}
            />
          </Labelled>
        )}
      </div>
      <div className="row-gap">
        <button type="submit" className="btn btn-primary" disabled={busy || !label.trim()}>
          <Plus size={14} aria-hidden /> Add field
        </button>
      </div>
    </form>
  );
}

/** A labelled control with its inline error and hint. */
export function Labelled({
  id,
  label,
  error,
  hint,
  wide,
  children,
}: {
  id: string;
  label: string;
  error?: string | null;
  hint?: string;
  wide?: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className={`field ${wide ? 'field-wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && <div className="field-hint">{hint}</div>}
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
