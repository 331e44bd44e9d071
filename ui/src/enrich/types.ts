/** Shared enrichment UI types. */
import type { Suggestion } from '../api';

export type JsonValue = Suggestion['proposedValue'];
