/**
 * Editor of a multi-valued list (emails, phones, URLs, addresses, companies): one row per
 * entry, the first is primary, each entry removable, "Add" appends one.
 */
import { Plus, Trash2, ArrowUp } from 'lucide-react';
import { TextField } from '../components/Field';

export type ListField<T> = {
  key: keyof T & string;
  /** Visible label of the input (numbered after the first entry). */
  label: string;
  type?: string;
  placeholder?: string;
  list?: string;
  wide?: boolean;
};

type Props<T> = {
  title: string;
  /** Path prefix of backend errors: `emails` for `emails[1].value`. */
  path: string;
  items: T[];
  fields: ListField<T>[];
  blank: () => T;
  onChange: (items: T[]) => void;
  errorAt: (path: string) => string | null;
  addLabel: string;
};

export function ListEditor<T extends object>({ title, path, items, fields, blank, onChange, errorAt, addLabel }: Props<T>) {
  const set = (i: number, key: keyof T, value: string) =>
    onChange(items.map((it, j) => (j === i ? { ...it, [key]: value } : it)));
  const remove = (i: number) => onChange(items.filter((_, j) => j !== i));
  const makePrimary = (i: number) => onChange([items[i], ...items.filter((_, j) => j !== i)]);
  const listError = errorAt(path);
  return (
    <fieldset className="list-editor">
      <legend>{title}</legend>
      {items.map((item, i) => (
        <div className="list-row" key={i}>
          {fields.map((f) => (
            <TextField
              key={f.key}
              className={f.wide ? 'grow' : 'narrow'}
              label={i === 0 ? f.label : `${f.label} ${i + 1}`}
              type={f.type ?? 'text'}
              placeholder={f.placeholder}
              list={f.list}
              value={String((item as Record<string, unknown>)[f.key] ?? '')}
              onChange={(e) => set(i, f.key, e.target.value)}
              error={errorAt(`${path}[${i}].${f.key}`) ?? (f.wide ? errorAt(`${path}[${i}]`) : null)}
            />
          ))}
          <div className="list-row-actions">
            {i > 0 && (
              <button
                type="button"
                className="icon-btn"
                aria-label={`Make ${title.toLowerCase()} ${i + 1} primary`}
                title="Make primary"
                onClick={() => makePrimary(i)}
              >
                <ArrowUp size={15} aria-hidden />
              </button>
            )}
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove ${title.toLowerCase()} ${i + 1}`}
              title="Remove"
              onClick={() => remove(i)}
            >
              <Trash2 size={15} aria-hidden />
            </button>
          </div>
        </div>
      ))}
      {listError && (
        <div className="field-error" role="alert">
          {listError}
        </div>
      )}
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange([...items, blank()])}>
        <Plus size={14} aria-hidden /> {addLabel}
      </button>
    </fieldset>
  );
}
