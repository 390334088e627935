/**
 * A bounded queue for expensive work (password hashing): at most `concurrency`
 * jobs run at once, at most `maxWaiting` wait, and anything beyond is refused at
 * once with a QueueFullError, which the demo answers with 503 and Retry-After.
 *
 * Without it every request starts its own scrypt: a flood of logins queues
 * thousands of 16 MiB hashes in libuv's thread pool, and an honest login waits
 * behind all of them. Refusing early keeps the wait of an accepted job short.
 */

export class QueueFullError extends Error {
  constructor() {
    super('too many password checks are waiting');
    this.name = 'QueueFullError';
  }
}

export class WorkQueue {
  readonly #concurrency: number;
  readonly #maxWaiting: number;
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(concurrency: number, maxWaiting: number) {
    this.#concurrency = concurrency;
    this.#maxWaiting = maxWaiting;
  }

  /** Runs `job` when a slot is free; throws QueueFullError when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxWaiting) throw new QueueFullError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next job, or give it back.
      const next = this.#waiting.shift();
      if (next === undefined) this.#running--;
      else next();
    }
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }
}
