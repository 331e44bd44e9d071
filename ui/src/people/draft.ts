/**
 * The editable form state of a person, and the create body / PATCH body made from it.
 *
 * A form edits strings; the backend wants `null` for "unset" and lists without blank
 * rows. `toInput` makes a create body; `diffPatch` sends only the keys whose value
 * changed (PATCH semantics), and `inversePatch` is what undo sends back.
 */
import type { Person, PersonInput } from '../api';

export type Item = { value: string; label: string };
export type AddressItem = Item & { street: string; city: string; region: string; postalCode: string; country: string };
export type CompanyItem = { id: string | null; name: string };
/**
 * Custom field values by key, as their editors hold them: text (numbers too, as typed;
 * core parses numeric strings), `true`/`false`, or a list of option labels.
 */
export type CustomValue = string | boolean | string[];
export type CustomValues = Record<string, CustomValue>;

export type Draft = {
  firstName: string;
  lastName: string;
  fullName: string;
  jobTitle: string;
  description: string;
  birthday: string;
  emails: Item[];
  phones: Item[];
  addresses: AddressItem[];
  urls: Item[];
  companies: CompanyItem[];
  tags: string;
  latitude: string;
  longitude: string;
  customFields: CustomValues;
};

export const emptyDraft = (): Draft => ({
  firstName: '',
  lastName: '',
  fullName: '',
  jobTitle: '',
  description: '',
  birthday: '',
  emails: [{ value: '', label: '' }],
  phones: [{ value: '', label: '' }],
  addresses: [],
  urls: [],
  companies: [{ id: null, name: '' }],
  tags: '',
  latitude: '',
  longitude: '',
  customFields: {},
});

const s = (v: string | null | undefined) => v ?? '';

export function draftOf(p: Person): Draft {
  // fullName is derived unless set: show it empty when it is just first + last.
  const derived = [p.firstName, p.lastName].filter(Boolean).join(' ');
  return {
    firstName: s(p.firstName),
    lastName: s(p.lastName),
    fullName: p.fullName === derived ? '' : p.fullName,
    jobTitle: s(p.jobTitle),
    description: s(p.description),
    birthday: s(p.birthday),
    emails: p.emails.map((e) => ({ value: e.value, label: s(e.label) })),
    phones: p.phones.map((e) => ({ value: e.value, label: s(e.label) })),
    addresses: p.addresses.map((a) => ({
      value: a.value,
      label: s(a.label),
      street: s(a.street),
      city: s(a.city),
      region: s(a.region),
      postalCode: s(a.postalCode),
      country: s(a.country),
    })),
    urls: p.urls.map((e) => ({ value: e.value, label: s(e.label) })),
    companies: p.companies.map((c) => ({ id: c.id, name: c.name })),
    tags: p.tags.join(', '),
    latitude: p.latitude == null ? '' : String(p.latitude),
    longitude: p.longitude == null ? '' : String(p.longitude),
    customFields: customDraftOf(p.customFields),
  };
}

/** Stored custom-field values (a person's or a company's) as their editors hold them. */
export function customDraftOf(values: Record<string, unknown> | null | undefined): CustomValues {
  return Object.fromEntries(
    Object.entries(values ?? {})
      .filter(([, v]) => v != null)
      .map(([key, v]) => [key, editable(v)]),
  );
}

/** Edited custom-field values as sent to the backend (empty ones left out). */
export function customInputOf(values: CustomValues): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const out = customValue(v);
    if (out !== undefined) custom[k] = out;
  }
  return custom;
}

/** The custom-field part of a PATCH (they merge on the backend): changed keys, null for removed ones. */
export function customPatch(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | null {
  const cf: Record<string, unknown> = {};
  for (const k of Object.keys(after)) if (!same(before[k], after[k])) cf[k] = after[k];
  for (const k of Object.keys(before)) if (!(k in after)) cf[k] = null;
  return Object.keys(cf).length ? cf : null;
}

const str = (v: string) => (v.trim() === '' ? null : v.trim());
const num = (v: string) => (v.trim() === '' ? null : Number(v));
const nonBlank = <T extends { value: string }>(xs: T[]) => xs.filter((x) => x.value.trim() !== '');
const lv = (xs: Item[]) => nonBlank(xs).map((x) => ({ value: x.value.trim(), label: str(x.label) }));

/** A stored JSON value as its editor holds it. */
function editable(v: unknown): CustomValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** What is sent for an edited value; `undefined` when it is empty (unset). */
function customValue(v: CustomValue): unknown {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  return v;
}

/** The full body for a create, and the basis of a diff. */
export function toInput(d: Draft): Required<PersonInput> {
  const custom = customInputOf(d.customFields);
  return {
    firstName: str(d.firstName),
    lastName: str(d.lastName),
    fullName: str(d.fullName),
    jobTitle: str(d.jobTitle),
    description: str(d.description),
    birthday: str(d.birthday),
    emails: lv(d.emails),
    phones: lv(d.phones),
    addresses: nonBlank(d.addresses).map((a) => ({
      value: a.value.trim(),
      label: str(a.label),
      street: str(a.street),
      city: str(a.city),
      region: str(a.region),
      postalCode: str(a.postalCode),
      country: str(a.country),
    })),
    urls: lv(d.urls),
    companies: d.companies
      .filter((c) => c.name.trim() !== '')
      .map((c) => (c.id ? { id: c.id } : { name: c.name.trim() })),
    tags: d.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    customFields: custom as PersonInput['customFields'] & object,
    latitude: num(d.latitude),
    longitude: num(d.longitude),
  };
}

/** A create body without the empty keys (so core's defaults apply). */
export function createBody(d: Draft): PersonInput {
  const full = toInput(d);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) {
    if (v == null || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as PersonInput;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the keys that changed between the saved person and the edited draft. */
export function diffPatch(original: Draft, edited: Draft): PersonInput {
  const a = toInput(original);
  const b = toInput(edited);
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(b) as (keyof PersonInput)[]) {
    if (k === 'customFields') continue;
    if (!same(a[k], b[k])) patch[k] = b[k];
  }
  // customFields merge on the backend: send changed keys, and null for removed ones.
  const cf = customPatch((a.customFields ?? {}) as Record<string, unknown>, (b.customFields ?? {}) as Record<string, unknown>);
  if (cf) patch.customFields = cf as PersonInput['customFields'];
  return patch as PersonInput;
}

/** The PATCH that puts back what `patch` changed on `before`. */
export function inversePatch(before: Person, patch: PersonInput): PersonInput {
  const full = toInput(draftOf(before));
  const inv: Record<string, unknown> = {};
  for (const k of Object.keys(patch) as (keyof PersonInput)[]) {
    if (k === 'customFields') {
      const old = before.customFields ?? {};
      const cf: Record<string, unknown> = {};
      for (const key of Object.keys(patch.customFields ?? {})) cf[key] = key in old ? old[key] : null;
      inv.customFields = cf;
    } else if (k === 'fullName') {
      inv.fullName = full.fullName;
    } else {
      inv[k] = full[k];
    }
  }
  return inv as PersonInput;
}

/** Whether a backend error path belongs to an input of the person form. */
export function isPersonPath(path: string): boolean {
  return /^(firstName|lastName|fullName|jobTitle|description|birthday|latitude|longitude|emails|phones|addresses|urls|companies|tags|(emails|phones|addresses|urls|companies|tags)\[\d+\](\.\w+)?|customFields\.[\w-]+)$/.test(
    path,
  );
}

/** Where a path's message is shown: `emails[1]` belongs to the input `emails[1].value`. */
export function displayPath(path: string): string {
  if (/^(emails|phones|addresses|urls)\[\d+\]$/.test(path)) return `${path}.value`;
  if (/^tags\[\d+\]$/.test(path)) return 'tags';
  return path;
}
