/** How enrichment values, sources and confidences read in the window. */
import type { JsonValue } from './types';

/** `local:email-domain` → "email domain (local)"; `remote:introzy` → "Introzy". */
export function sourceLabel(source: string): string {
  const [where, what = ''] = source.split(':', 2);
  if (where === 'remote') return what === 'introzy' ? 'Introzy' : what === 'endpoint' ? 'Your endpoint' : what;
  return `${what.replace(/-/g, ' ')} (${where})`;
}

export const percent = (c: number | null) => (c == null ? '—' : `${Math.round(c * 100)}%`);

/** A field path as a label: `phones[0].e164` → "Phone 1 E.164", `company.website` → "Company website". */
export function fieldLabel(path: string): string {
  const words: Record<string, string> = {
    firstName: 'First name',
    lastName: 'Last name',
    fullName: 'Full name',
    jobTitle: 'Job title',
    avatarUrl: 'Avatar',
    e164: 'E.164',
    website: 'website',
    name: 'name',
    domain: 'domain',
    birthday: 'Birthday',
    country: 'country',
    type: 'type',
  };
  const label = path
    .replace(/^company\./, 'Company.')
    .split('.')
    .map((part) => {
      const m = /^(\w+)\[(\d+)\]$/.exec(part);
      if (m) return `${m[1].replace(/s$/, '').replace(/^./, (c) => c.toUpperCase())} ${Number(m[2]) + 1}`;
      return words[part] ?? part;
    })
    .join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function valueText(v: JsonValue): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
