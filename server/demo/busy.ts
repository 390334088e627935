/**
 * 503 with Retry-After, the demo's answer when it cannot serve now: the store
 * does not answer (fail closed: a token whose revocation cannot be checked is
 * not accepted), or too many password hashes are waiting already.
 */
import type { ErrorHandler } from '../http/app.js';
import { HttpError, json } from '../http/reply.js';
import { StoreUnavailableError, type Store } from '../stores/store.js';
import { QueueFullError } from '../stores/workqueue.js';

/**
 * A store that does not answer: 503 with Retry-After, for every route. A
 * protected route fails closed: a token whose revocation cannot be checked is
 * not accepted.
 */
export function unavailable(store: Store): ErrorHandler {
  return (error) =>
    error instanceof StoreUnavailableError
      ? json(503, { msg: `The ${store.kind} store is unavailable; try again shortly` }, { 'Retry-After': '1' })
      : undefined;
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
