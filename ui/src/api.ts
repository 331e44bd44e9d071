/**
 * The only module that talks to the Tauri backend.
 *
 * Every call goes through the generated, typed `commands` of `bindings.ts` (written by
 * `cargo test -p carnet-app` from the Rust signatures), so no component ever spells a
 * command name. A failed command rejects with an {@link ApiError} carrying the backend's
 * stable `code` and the `field` path (such as `emails[1].value`) the UI shows inline.
 */
import { commands, events } from './bindings';
import type * as B from './bindings';

// Serde phases: `_Serialize` is what the backend sends, `_Deserialize` what it accepts.
export type Person = B.Person_Serialize;
export type Company = B.Company_Serialize;
export type Note = B.Note;
export type PeoplePage = B.PeoplePage_Serialize;
export type CompanyPage = B.CompanyPage_Serialize;
// Queries are input: every key is optional and takes core's default.
export type PeopleQuery = B.PeopleQuery_Deserialize;
export type CompanyQuery = B.CompanyQuery_Deserialize;
export type PeopleSort = B.PeopleSort;
export type LabeledValue = B.LabeledValue_Serialize;
export type Phone = B.Phone_Serialize;
export type Address = B.Address_Serialize;
export type CompanyRef = B.CompanyRef;
export type Warning = B.Warning_Serialize;
export type AppInfo = B.AppInfo;
export type FieldDef = B.FieldDef_Serialize;
export type FieldType = B.FieldType;
export type FieldEntity = B.FieldEntity;
export type FieldOption = B.FieldOption_Deserialize;
export type NewField = B.NewField_Deserialize;
export type FieldChanges = B.FieldChanges_Deserialize;
export type FieldChangeReport = B.FieldChangeReport_Serialize;
export type FieldFilter = B.FieldFilter_Deserialize;
export type FilterOp = B.FilterOp;
export type TagCount = B.TagCount;
export type Job = B.Job_Serialize;
export type EnqueuedJob = B.EnqueuedJob;
export type Suggestion = B.Suggestion_Serialize;
export type Provenance = B.Provenance_Serialize;
export type HistoryEntry = B.HistoryEntry_Serialize;
export type EnrichEvent = B.EnrichEvent_Serialize;
export type EnrichSettings = B.EnrichSettings;
export type ProviderKind = B.ProviderKind;
export type AccountStatus = B.AccountStatus_Serialize;
export type RunReport = B.RunReport_Serialize;
export type ItemReport = B.ItemReport_Serialize;
export type NewAccount = B.NewAccount_Deserialize;
export type SyncProgress = B.SyncProgress_Serialize;
export type Format = B.Format;
export type OnDuplicate = B.OnDuplicate;
export type PickedFile = B.PickedFile_Serialize;
export type ImportOptions = B.ImportOptions_Deserialize;
export type ImportReport = B.ImportReport_Serialize;
export type ExportOptions = B.ExportOptions_Deserialize;
export type ExportResult = B.ExportResult;
export type ImportProgress = B.ImportProgress;
type ErrorPayload = B.ErrorPayload_Serialize;
type JsonValue = B.Value;

/** A command's failure: `validation`, `not_found`, `conflict`, `storage`, ... */
export class ApiError extends Error {
  readonly code: string;
  readonly field: string | null;
  readonly existingId: string | null;
  constructor(p: { code: string; message: string; field?: string | null; existingId?: string | null }) {
    super(p.message);
    this.name = 'ApiError';
    this.code = p.code;
    this.field = p.field ?? null;
    this.existingId = p.existingId ?? null;
  }
}

type Outcome<T> = { status: 'ok'; data: T } | { status: 'error'; error: ErrorPayload };

async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const res = await call;
  if (res.status === 'ok') return res.data;
  throw new ApiError(res.error);
}

/** A company on person input: an existing one by id, or by name (created if new). */
export type CompanyInput = { id: string } | { name: string };

/** Person fields a create or PATCH body may carry (`null` unsets on update). */
export type PersonInput = Partial<{
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  jobTitle: string | null;
  description: string | null;
  birthday: string | null;
  emails: B.LabeledValue_Deserialize[];
  phones: Array<{ value: string; label?: string | null }>;
  addresses: B.Address_Deserialize[];
  urls: B.LabeledValue_Deserialize[];
  companies: CompanyInput[];
  tags: string[];
  customFields: Record<string, JsonValue | null>;
  latitude: number | null;
  longitude: number | null;
}>;

/** Company fields a create or PATCH body may carry. */
export type CompanyInputFields = Partial<{
  name: string;
  domain: string | null;
  website: string | null;
  industry: string | null;
  customFields: Record<string, JsonValue | null>;
}>;

const json = (v: object): JsonValue => v as JsonValue;

export const api = {
  appInfo: (): Promise<AppInfo> => unwrap(commands.appInfo()),
  people: {
    list: (query: PeopleQuery): Promise<PeoplePage> => unwrap(commands.peopleList(query)),
    get: (id: string): Promise<Person> => unwrap(commands.personGet(id)),
    create: (input: PersonInput): Promise<Person> => unwrap(commands.personCreate(json(input))),
    update: (id: string, patch: PersonInput): Promise<Person> => unwrap(commands.personUpdate(id, json(patch))),
    trash: (id: string): Promise<Person> => unwrap(commands.personTrash(id)),
    restore: (id: string): Promise<Person> => unwrap(commands.personRestore(id)),
    purge: (id: string): Promise<null> => unwrap(commands.personPurge(id)),
    /** Tags in use on live people, with counts, in name order. */
    tags: (): Promise<TagCount[]> => unwrap(commands.tagsList()),
  },
  companies: {
    list: (query: CompanyQuery): Promise<CompanyPage> => unwrap(commands.companiesList(query)),
    get: (id: string): Promise<Company> => unwrap(commands.companyGet(id)),
    create: (input: CompanyInputFields): Promise<Company> => unwrap(commands.companyCreate(json(input))),
    update: (id: string, patch: CompanyInputFields): Promise<Company> =>
      unwrap(commands.companyUpdate(id, json(patch))),
    trash: (id: string): Promise<Company> => unwrap(commands.companyTrash(id)),
    restore: (id: string): Promise<Company> => unwrap(commands.companyRestore(id)),
    purge: (id: string): Promise<null> => unwrap(commands.companyPurge(id)),
  },
  notes: {
    list: (personId: string): Promise<Note[]> => unwrap(commands.notesList(personId)),
    create: (personId: string, body: string): Promise<Note> => unwrap(commands.noteCreate(personId, body)),
    update: (id: string, body: string): Promise<Note> => unwrap(commands.noteUpdate(id, body)),
    delete: (id: string): Promise<null> => unwrap(commands.noteDelete(id)),
  },
  /** Custom-field schema: call a `plan*` first, show its counts, then apply with `force`. */
  fields: {
    list: (entity: FieldEntity | null): Promise<FieldDef[]> => unwrap(commands.fieldsList(entity)),
    get: (key: string): Promise<FieldDef> => unwrap(commands.fieldGet(key)),
    create: (input: NewField): Promise<FieldDef> => unwrap(commands.fieldCreate(input)),
    planUpdate: (key: string, changes: FieldChanges): Promise<FieldChangeReport> =>
      unwrap(commands.fieldPlanUpdate(key, changes)),
    update: (key: string, changes: FieldChanges, force: boolean): Promise<FieldChangeReport> =>
      unwrap(commands.fieldUpdate(key, changes, force)),
    planDelete: (key: string): Promise<FieldChangeReport> => unwrap(commands.fieldPlanDelete(key)),
    delete: (key: string, force: boolean): Promise<FieldChangeReport> => unwrap(commands.fieldDelete(key, force)),
  },
  /** Enrichment: jobs run in the backend's workers; progress arrives through `onEvent`. */
  enrich: {
    person: (personId: string): Promise<EnqueuedJob> => unwrap(commands.enrichPerson(personId)),
    shown: (query: PeopleQuery): Promise<Job> => unwrap(commands.enrichShown(query)),
    jobs: (limit: number): Promise<Job[]> => unwrap(commands.enrichJobs(limit)),
    cancel: (jobId: string): Promise<Job> => unwrap(commands.enrichCancel(jobId)),
    suggestions: (personId: string | null): Promise<Suggestion[]> => unwrap(commands.enrichSuggestions(personId)),
    accept: (id: string): Promise<Suggestion> => unwrap(commands.enrichAccept(id)),
    reject: (id: string): Promise<Suggestion> => unwrap(commands.enrichReject(id)),
    acceptAll: (personId: string): Promise<Suggestion[]> => unwrap(commands.enrichAcceptAll(personId)),
    rejectAll: (personId: string): Promise<Suggestion[]> => unwrap(commands.enrichRejectAll(personId)),
    history: (personId: string): Promise<HistoryEntry[]> => unwrap(commands.enrichHistory(personId)),
    provenance: (personId: string): Promise<Provenance[]> => unwrap(commands.enrichProvenance(personId)),
    settings: (): Promise<EnrichSettings> => unwrap(commands.enrichSettings()),
    setEndpoint: (url: string | null): Promise<EnrichSettings> => unwrap(commands.enrichSetEndpoint(url)),
    /** Subscribes to the engine's events (progress batched by the backend); returns the unsubscribe. */
    onEvent: (cb: (e: EnrichEvent) => void): Promise<() => void> =>
      events.enrichProgress.listen((e) => cb(e.payload as EnrichEvent)),
  },
  /** Import and export: the backend opens the file dialogs; the webview never handles a path. */
  files: {
    /** The open dialog; null when the user cancels it. */
    pickImport: (): Promise<PickedFile | null> => unwrap(commands.importPick()),
    /** Imports (or previews, with `dryRun`) the picked file. */
    import: (handle: string, options: ImportOptions): Promise<ImportReport> => unwrap(commands.importRun(handle, options)),
    cancelImport: (handle: string): Promise<boolean> => unwrap(commands.importCancel(handle)),
    /** The save dialog, then the export; null when the user cancels the dialog. */
    export: (options: ExportOptions): Promise<ExportResult | null> => unwrap(commands.exportToFile(options)),
    onImportProgress: (cb: (e: ImportProgress) => void): Promise<() => void> =>
      events.importProgress.listen((e) => cb(e.payload)),
  },
  /** Sync to CRMs: tokens go to the OS keyring in the backend and never come back. */
  sync: {
    status: (): Promise<AccountStatus[]> => unwrap(commands.syncStatus()),
    addAccount: (account: NewAccount, token: string | null) => unwrap(commands.syncAccountAdd(account, token)),
    removeAccount: (id: string) => unwrap(commands.syncAccountRemove(id)),
    /** Push (or, with `dryRun`, preview) every live person; resolves with the run's report. */
    push: (accountId: string, dryRun: boolean): Promise<RunReport> => unwrap(commands.syncPush(accountId, dryRun)),
    cancel: (accountId: string): Promise<boolean> => unwrap(commands.syncCancel(accountId)),
    runs: (accountId: string | null, limit: number): Promise<RunReport[]> => unwrap(commands.syncRuns(accountId, limit)),
    run: (runId: string): Promise<RunReport> => unwrap(commands.syncRun(runId)),
    /** Push progress (batched by the backend); returns the unsubscribe. */
    onEvent: (cb: (e: SyncProgress) => void): Promise<() => void> =>
      events.syncProgress.listen((e) => cb(e.payload as SyncProgress)),
  },
};

/** Query keys, so every view invalidates the same caches after a write. */
export const keys = {
  people: ['people'] as const,
  tags: ['people', 'tags'] as const,
  person: (id: string) => ['person', id] as const,
  companies: ['companies'] as const,
  company: (id: string) => ['company', id] as const,
  notes: (personId: string) => ['notes', personId] as const,
  appInfo: ['appInfo'] as const,
  fields: (entity: FieldEntity) => ['fields', entity] as const,
  allFields: ['fields'] as const,
  enrichJobs: ['enrich', 'jobs'] as const,
  suggestions: (personId: string | null) => ['enrich', 'suggestions', personId ?? '*'] as const,
  allSuggestions: ['enrich', 'suggestions'] as const,
  provenance: (personId: string) => ['enrich', 'provenance', personId] as const,
  history: (personId: string) => ['enrich', 'history', personId] as const,
  sync: ['sync'] as const,
};
