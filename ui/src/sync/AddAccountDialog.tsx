/**
 * "Add account": provider, display name, base URL, provider settings and the API token
 * (a password input; the token goes to the OS keyring and is never shown again).
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, keys, type NewAccount, type ProviderKind } from '../api';
import { Dialog } from '../components/Dialog';
import { FormError, TextAreaField, TextField } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';

export const PROVIDERS: { id: ProviderKind; label: string; baseUrl: string }[] = [
  { id: 'introzy', label: 'Introzy', baseUrl: 'https://beta-api.introzy.com' },
  { id: 'folk', label: 'folk', baseUrl: 'https://api.folk.app' },
  { id: 'allo', label: 'Allo', baseUrl: 'https://api.withallo.com' },
  { id: 'pipedrive', label: 'Pipedrive', baseUrl: 'https://COMPANY.pipedrive.com/api/v1' },
];

const FIELDS = ['displayName', 'baseUrl', 'token', 'settings', 'settings.group', 'settings.fieldMap', 'settings.defaultRegion'];

type Draft = { provider: ProviderKind; displayName: string; baseUrl: string; token: string; group: string; region: string; fieldMap: string };
const empty: Draft = { provider: 'introzy', displayName: '', baseUrl: '', token: '', group: '', region: '', fieldMap: '' };

export function AddAccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [d, setD] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });
  const provider = PROVIDERS.find((p) => p.id === d.provider)!;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const settings: Record<string, unknown> = {};
    if (d.region.trim()) settings.defaultRegion = d.region.trim().toUpperCase();
    if (d.provider === 'folk' && d.group.trim()) settings.group = d.group.trim();
    if (d.provider === 'pipedrive' && d.fieldMap.trim()) {
      try {
        settings.fieldMap = JSON.parse(d.fieldMap);
      } catch {
        setErrors({ byPath: { 'settings.fieldMap': 'the field mapping must be JSON, e.g. {"cf_plan": "Plan"}' }, general: null });
        return;
      }
    }
    setBusy(true);
    try {
      await api.sync.addAccount(
        { provider: d.provider, displayName: d.displayName, baseUrl: d.baseUrl, settings: settings as NewAccount['settings'] },
        d.token || null,
      );
      await queryClient.invalidateQueries({ queryKey: keys.sync });
      setD(empty);
      setErrors(noErrors);
      onClose();
    } catch (err) {
      setErrors(toFieldErrors(err, (p) => FIELDS.includes(p)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title="Add a CRM account" onClose={onClose}>
      <form className="dialog-body" onSubmit={submit} noValidate aria-label="Add a CRM account">
        <FormError message={errors.general} />
        <div className="field">
          <label htmlFor="sync-provider">Provider</label>
          <select id="sync-provider" className="input" value={d.provider} onChange={set('provider')}>
            {PROVIDERS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <TextField label="Display name" value={d.displayName} onChange={set('displayName')} error={errors.byPath.displayName} placeholder={`${provider.label} (team)`} autoFocus />
        <TextField
          label="Base URL"
          value={d.baseUrl}
          onChange={set('baseUrl')}
          error={errors.byPath.baseUrl}
          placeholder={provider.baseUrl}
          hint="The part before the API's paths."
        />
        <TextField
          label="API token"
          type="password"
          autoComplete="off"
          value={d.token}
          onChange={set('token')}
          error={errors.byPath.token}
          hint="Kept in the system keyring, never in the database. Without a keyring, start Carnet with CARNET_SYNC_TOKEN set and leave this empty."
        />
        {d.provider === 'folk' && (
          <TextField label="folk group" value={d.group} onChange={set('group')} error={errors.byPath['settings.group']} hint="The group people are added to (name or id)." />
        )}
        {d.provider === 'pipedrive' && (
          <TextAreaField
            label="Field mapping (JSON)"
            rows={2}
            value={d.fieldMap}
            onChange={set('fieldMap')}
            error={errors.byPath['settings.fieldMap']}
            placeholder='{"cf_plan": "Plan"}'
          />
        )}
        <TextField label="Default phone region" value={d.region} onChange={set('region')} error={errors.byPath['settings.defaultRegion']} placeholder="US" maxLength={2} />
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Add account
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
