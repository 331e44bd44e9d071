/**
 * "Merge into existing": what the create form adds to a person who already exists (same
 * email). Values typed in the form win over the stored ones for single fields; lists
 * (emails, phones, websites, addresses, companies, tags) keep what is stored and gain
 * what the form adds that is not there yet; custom fields merge key by key.
 */
import type { Person, PersonInput } from '../api';

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

function union<T>(stored: T[], added: T[] | undefined, key: (t: T) => string): T[] | undefined {
  if (!added?.length) return undefined;
  const seen = new Set(stored.map(key));
  const extra = added.filter((t) => !seen.has(key(t)));
  return extra.length ? [...stored, ...extra] : undefined;
}

export function mergePatch(existing: Person, form: PersonInput): PersonInput {
  const patch: PersonInput = {};
  for (const k of ['firstName', 'lastName', 'jobTitle', 'description', 'birthday', 'latitude', 'longitude'] as const) {
    const v = form[k];
    if (v != null && v !== '' && v !== existing[k]) (patch as Record<string, unknown>)[k] = v;
  }
  const labeled = (l: { value: string; label?: string | null }) => ({ value: l.value, label: l.label ?? null });
  const emails = union(existing.emails.map(labeled), form.emails?.map(labeled), (e) => norm(e.value));
  if (emails) patch.emails = emails;
  const digits = (s: string) => s.replace(/\D/g, '');
  const phones = union(
    existing.phones.map((p) => ({ value: p.value, label: p.label ?? null })),
    form.phones?.map((p) => ({ value: p.value, label: p.label ?? null })),
    (p) => digits(p.value),
  );
  if (phones) patch.phones = phones;
  const urls = union(existing.urls.map(labeled), form.urls?.map(labeled), (u) => norm(u.value));
  if (urls) patch.urls = urls;
  const addresses = union(existing.addresses, form.addresses as Person['addresses'] | undefined, (a) => norm(JSON.stringify(a)));
  if (addresses) patch.addresses = addresses as PersonInput['addresses'];
  const companies = union<{ id: string } | { name: string }>(
    existing.companies.map((c) => ({ id: c.id })),
    form.companies,
    (c) => ('id' in c ? c.id : `name:${norm(c.name)}`),
  );
  // A company given by name that is already the person's (by name) is not added twice.
  const storedNames = new Set(existing.companies.map((c) => norm(c.name)));
  const newCompanies = companies?.filter((c) => 'id' in c || !storedNames.has(norm(c.name)));
  if (newCompanies && newCompanies.length > existing.companies.length) patch.companies = newCompanies;
  const tags = union(existing.tags, form.tags, norm);
  if (tags) patch.tags = tags;
  if (form.customFields && Object.keys(form.customFields).length) patch.customFields = form.customFields;
  return patch;
}
