/**
 * 503 with Retry-After, the demo's answer when it cannot serve now: the store
 * does not answer (fail closed: a token whose revocation cannot be checked is
 * not accepted), or too many password hashes are waiting already.
 */
import type { ErrorHandler } from '../http/app.js';
import { HttpError, json } from '../http/reply.js';
import { StoreUnavailableError, type Store } from '../stores/store.js';
import { QueueFullError } from '../stores/workqueue.js';

/** How often the operator is told again that the store does not answer (ms). */
const LOG_EVERY_MS = 10_000;

/**
 * A store that does not answer: 503 with Retry-After, for every route. A
 * protected route fails closed: a token whose revocation cannot be checked is
 * not accepted. The client gets a short `msg`; the operator's log gets the
 * store's own words (host, timeout, …), at most once every 10 s.
 */
export function unavailable(store: Store, log: (message: string) => void): ErrorHandler {
  let loggedAt = Number.NEGATIVE_INFINITY;
  return (error) => {
    if (!(error instanceof StoreUnavailableError)) return undefined;
    if (Date.now() - loggedAt >= LOG_EVERY_MS) {
      loggedAt = Date.now();
      log(`503: ${error.message}`);
    }
    return json(503, { msg: `The ${store.kind} store is unavailable; try again shortly` }, { 'Retry-After': '1' });
  };
}

/** A full hashing queue answers 503 with Retry-After, rather than making everyone wait. */
export async function busyIsRetry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueueFullError) throw new HttpError(503, 'Too many logins in progress, try again shortly', { 'Retry-After': '1' });
    throw error;
  }
}
