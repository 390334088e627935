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
 * How many times faster `a` is than `b`, as the median over rounds of the two
 * throughputs' ratio within each round. The two ran a moment apart in every
 * round, so a busy spell that slows both cancels out of that round's ratio,
 * where a ratio of the two medians can pair a quiet round of one with a busy
 * round of the other.
 */
export function pairedRatio(a: Pick<Result, 'rounds'>, b: Pick<Result, 'rounds'>): number {
  if (a.rounds.length !== b.rounds.length || a.rounds.length === 0) throw new RangeError('paired ratios need the same, non-zero number of rounds');
  return median(a.rounds.map((value, round) => value / (b.rounds[round] ?? Number.NaN)));
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
