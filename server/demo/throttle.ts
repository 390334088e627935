/**
 * Login throttling: after a few failed logins for one username, or from one
 * client address, further attempts are answered 429 with Retry-After for a
 * growing interval (1 s, 2 s, 4 s … up to a cap), without the password even
 * being checked. OWASP's Authentication Cheat Sheet asks for exactly this:
 * slow guessing down, but do not let an attacker lock a user out for long, so
 * the per-username interval is capped at a minute.
 *
 * The throttle cannot tell whether a username exists: it counts failures for
 * unknown names the same way, and says the same words to both. An attempt
 * counts as a failure from the moment it starts (and is given back if it
 * succeeds), so 64 concurrent guesses cannot all slip in before the first one
 * has failed.
 *
 * Entries are forgotten `forgetAfter` seconds after the last failure, and the
 * table is bounded (oldest entries go first), so a flood of made-up names or
 * addresses cannot grow it without limit.
 */

export interface ThrottleRule {
  /** Failures allowed before any waiting. */
  readonly free: number;
  /** Longest wait, in seconds. */
  readonly maxDelay: number;
}

export interface ThrottleOptions {
  readonly username?: ThrottleRule;
  readonly address?: ThrottleRule;
  readonly forgetAfter?: number;
  readonly maxEntries?: number;
  readonly now: () => number;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export const DEFAULT_USERNAME_RULE: ThrottleRule = { free: 5, maxDelay: 60 };
/** Generous: many people may share one address (NAT, a proxy), and the username rule already stops guessing at one account. */
export const DEFAULT_ADDRESS_RULE: ThrottleRule = { free: 50, maxDelay: 60 };

/** What `begin` hands back: an attempt already counted as failed, until `succeeded()` says otherwise. */
export interface Attempt {
  succeeded(): void;
  /** The password was never checked (the store or the hashing queue could not serve): the attempt is given back. */
  abandoned(): void;
}

export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #rules: { readonly username: ThrottleRule; readonly address: ThrottleRule };
  readonly #forgetAfter: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: ThrottleOptions) {
    this.#rules = { username: options.username ?? DEFAULT_USERNAME_RULE, address: options.address ?? DEFAULT_ADDRESS_RULE };
    this.#forgetAfter = options.forgetAfter ?? 15 * 60;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now;
  }

  /**
   * Starts a login attempt for `username` from `address`: the seconds to wait
   * when either is throttled, otherwise an Attempt to settle.
   */
  begin(username: string, address: string): number | Attempt {
    const now = this.#now();
    const keys = [`u:${username}`, `a:${address}`] as const;
    const wait = Math.max(...keys.map((key) => (this.#live(key, now)?.blockedUntil ?? 0) - now));
    if (wait > 0) return Math.ceil(wait);
    // Counted as failed until it succeeds.
    const user = this.#fail(keys[0], now, this.#rules.username);
    const client = this.#fail(keys[1], now, this.#rules.address);
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        // The username starts afresh; the address only gets this attempt back
        // (else a login to one's own account would wipe the record of guesses at others).
        this.#entries.delete(keys[0]);
        this.#undo(client, this.#rules.address);
      },
      abandoned: () => {
        if (settled) return;
        settled = true;
        this.#undo(user, this.#rules.username);
        this.#undo(client, this.#rules.address);
      },
    };
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now - entry.lastFailure > this.#forgetAfter && entry.blockedUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #fail(key: string, now: number, rule: ThrottleRule): Entry {
    let entry = this.#live(key, now);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxEntries) this.#evictOne();
      entry = { failures: 0, blockedUntil: 0, lastFailure: now };
      this.#entries.set(key, entry);
    }
    entry.failures++;
    entry.lastFailure = now;
    entry.blockedUntil = now + delay(entry.failures, rule);
    return entry;
  }

  #undo(entry: Entry, rule: ThrottleRule): void {
    entry.failures = Math.max(0, entry.failures - 1);
    entry.blockedUntil = entry.lastFailure + delay(entry.failures, rule);
  }

  #evictOne(): void {
    const oldest = this.#entries.keys().next();
    if (oldest.done !== true) this.#entries.delete(oldest.value);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** 0 while within the free failures, then 1, 2, 4, 8 … seconds, capped. */
function delay(failures: number, rule: ThrottleRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(2 ** Math.min(failures - rule.free - 1, 30), rule.maxDelay);
}
