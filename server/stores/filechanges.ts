/**
 * The file store's log records (file.ts), one per kind of change, replayed in
 * order at start. `until: null` means "kept for good".
 */
import type { Session } from './sessions.js';


export type Change =
  | { readonly op: 'user'; readonly name: string; readonly hash: string }
  | { readonly op: 'unuser'; readonly name: string }
  | { readonly op: 'token'; readonly jti: string; readonly until: number | null }
  | { readonly op: 'subject'; readonly subject: string; readonly upTo: number; readonly until: number | null }
  | { readonly op: 'session'; readonly session: Session }
  | { readonly op: 'unsession'; readonly id: string }
  | { readonly op: 'sid'; readonly sid: string; readonly until: number | null };
