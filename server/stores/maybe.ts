/**
 * A value now, or a promise of it. The reads every request makes (is this token
 * revoked, does this user exist) are answered at once by the stores that hold
 * their state in memory: a promise there would cost a trip through the
 * microtask queue per read, on every request.
 */
export type MaybePromise<T> = T | Promise<T>;
