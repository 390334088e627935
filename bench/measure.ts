/**
 * Timing, the careful way on a shared, noisy machine: warm every contestant up,
 * then run interleaved rounds of fixed duration (A, B, C, A, B, C, …) so that a
 * slow moment hurts everyone alike, and report medians with the min–max spread.
 * Ratios are always taken against a floor measured in the same rounds.
 */

export interface Contestant {
  readonly name: string;
  /** One operation. Whatever it returns is kept, so the work cannot be optimised away. */
  readonly run: () => unknown;
  /** The operation returns a promise, which is awaited before the next one starts. */
  readonly async?: boolean;
}

export interface Group {
  readonly name: string;
  /** The first contestant is the floor the others are compared with. */
  readonly contestants: readonly Contestant[];
}

export interface Settings {
  readonly rounds: number;
  /** Duration of one round of one contestant, in milliseconds. */
  readonly ms: number;
}

export interface Result {
  readonly group: string;
  readonly name: string;
  /** ops/s of each round, in the order run. */
  readonly rounds: readonly number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** µs per operation at the median. */
  readonly microseconds: number;
  /** This contestant's µs/op divided by the floor's, round by round, the median of those (1 for the floor itself). */
  readonly ratio: number;
}

let sink: unknown;

/** Runs `run` in batches until `ms` have passed; returns operations per second. */
export function opsPerSecond(run: () => unknown, ms: number): number {
  let batch = 1;
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink = run();
    count += batch;
    now = performance.now();
    // Grow batches so the clock is read rarely, but stay well inside the round.
    if (batch < 4096 && now - start < ms / 4) batch *= 2;
  }
  return (count * 1000) / (now - start);
}

/** The same for an operation that returns a promise: one at a time, each awaited. */
export async function opsPerSecondAsync(run: () => unknown, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 16; i++) sink = await run();
    count += 16;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * How many times faster `a` is than `b`, round by round: the two ran a moment
 * apart in every round, so a busy spell that slows both cancels out of that
 * round's ratio, where a ratio of the two medians can pair a quiet round of one
 * with a busy round of the other.
 */
export function roundRatios(a: Pick<Result, 'rounds'>, b: Pick<Result, 'rounds'>): number[] {
  if (a.rounds.length !== b.rounds.length || a.rounds.length === 0) throw new RangeError('paired ratios need the same, non-zero number of rounds');
  return a.rounds.map((value, round) => value / (b.rounds[round] ?? Number.NaN));
}

/** The median of `roundRatios(a, b)`: how many times faster `a` is than `b`. */
export function pairedRatio(a: Pick<Result, 'rounds'>, b: Pick<Result, 'rounds'>): number {
  return median(roundRatios(a, b));
}

/**
 * A 95% confidence interval for the median of the population that `values`
 * were drawn from, assuming nothing about its shape: each value falls below
 * the true median with probability ½, so how many do is binomial(n, ½), and
 * the k-th lowest and k-th highest values bracket the median unless k or more
 * fall on one side, which happens with probability 2 · P(binomial ≤ k - 1). The
 * largest k that keeps that at or below 5% gives the interval (n = 20: the
 * 6th lowest to the 6th highest). Undefined below 6 values, where even the
 * lowest and highest miss the median more often than 1 time in 20.
 *
 * Why here: on this machine a run's rounds scatter widely (a single round of
 * bench:http ranges over a factor of two), and the question a reader asks of a
 * median (is it really above 0.75?) is answered by this interval, not by the
 * min–max, which only grows with more rounds.
 */
export function medianInterval(values: readonly number[]): readonly [number, number] | undefined {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  // P(binomial(n, ½) = i) for i = 0, 1, …, summed while both tails together stay within 5%.
  let term = 0.5 ** n;
  let below = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    below += term;
    if (2 * below > 0.05) break;
    k = i + 1;
    term = (term * (n - i)) / (i + 1);
  }
  if (k === 0) return undefined;
  return [sorted[k - 1] ?? Number.NaN, sorted[n - k] ?? Number.NaN];
}

/** Measures one group: warm-up, then interleaved rounds. `progress` is told before each round. */
export async function measureGroup(group: Group, settings: Settings, progress: (round: number) => void): Promise<Result[]> {
  const measure = (contestant: Contestant, ms: number): number | Promise<number> =>
    contestant.async === true ? opsPerSecondAsync(contestant.run, ms) : opsPerSecond(contestant.run, ms);
  for (const contestant of group.contestants) await measure(contestant, Math.max(20, settings.ms / 2));
  const rounds: number[][] = group.contestants.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    progress(round + 1);
    for (const [index, contestant] of group.contestants.entries()) rounds[index]?.push(await measure(contestant, settings.ms));
  }
  const floor = { rounds: rounds[0] ?? [] };
  return group.contestants.map((contestant, index) => {
    const values = rounds[index] ?? [];
    const middle = median(values);
    return {
      group: group.name,
      name: contestant.name,
      rounds: values,
      median: middle,
      min: Math.min(...values),
      max: Math.max(...values),
      microseconds: 1e6 / middle,
      ratio: pairedRatio(floor, { rounds: values }),
    };
  });
}

/** Keeps the last result alive, so that no benchmarked call is dead code. */
export function keepAlive(): unknown {
  return sink;
}
