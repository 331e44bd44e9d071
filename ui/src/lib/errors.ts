/**
 * Mapping a backend error to the input it concerns.
 *
 * Core names the offending input with a path (`firstName`, `emails[1].value`,
 * `customFields.cf_plan`). Forms look their inputs' messages up by path; a message whose
 * path no input claims is shown at the top of the form, so nothing is ever hidden.
 */
import { ApiError } from '../api';

export type FieldErrors = { byPath: Record<string, string>; general: string | null };

export const noErrors: FieldErrors = { byPath: {}, general: null };

export function toFieldErrors(e: unknown, knownPaths: (path: string) => boolean): FieldErrors {
  if (e instanceof ApiError && e.field && knownPaths(e.field)) {
    return { byPath: { [e.field]: e.message }, general: null };
  }
  if (e instanceof ApiError && e.field) {
    return { byPath: {}, general: `${e.field}: ${e.message}` };
  }
  return { byPath: {}, general: e instanceof Error ? e.message : String(e) };
}

/** The message for `path`, or for the list item it belongs to (`emails[1]` for `emails[1].value`). */
export function errorAt(errors: FieldErrors, path: string): string | null {
  return errors.byPath[path] ?? null;
}
