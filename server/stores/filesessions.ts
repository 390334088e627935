/**
 * The file store's sessions (sessions.ts): decided and changed in memory in
 * one synchronous step (MemorySessionStore's `…Now` methods), then written to
 * the log as the session's new record, or, when one is revoked, as its `sid`
 * revocation and its removal.
 */
import type { Change } from './filechanges.js';
import type { MemorySessionStore, Session, SessionStore } from './sessions.js';

export function fileSessions(memory: MemorySessionStore, record: (change: Change) => Promise<void>, whenWritable: <T>(read: () => Promise<T>) => Promise<T>): SessionStore {
  /** A revoked session's two records: its tokens refused, its record gone. */
  const revoked = (session: Session): Promise<void> =>
    Promise.all([record({ op: 'sid', sid: session.id, until: session.until }), record({ op: 'unsession', id: session.id })]).then(() => undefined);
  return {
    start: async (session, maxPerUser) => {
      const dropped = memory.startNow(session, maxPerUser);
      await Promise.all([record({ op: 'session', session }), ...dropped.map(revoked)]);
    },
    rotate: async (request) => {
      const { rotation, changed, revoked: gone } = memory.rotateNow(request);
      if (changed !== undefined) await record({ op: 'session', session: changed });
      if (gone !== undefined) await revoked(gone);
      return rotation;
    },
    get: (id) => whenWritable(() => memory.get(id)),
    list: (user) => whenWritable(() => memory.list(user)),
    revoke: async (id) => {
      const session = memory.revokeNow(id);
      if (session !== undefined) await revoked(session);
      return session !== undefined;
    },
    revokeAll: async (user) => {
      const sessions = memory.ids(user).map((id) => memory.revokeNow(id)).filter((session): session is Session => session !== undefined);
      await Promise.all(sessions.map(revoked));
      return sessions.length;
    },
  };
}
