import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, medianInterval, pairedRatio } from '../../bench/measure.js';
import { intervalText } from '../../bench/report.js';

describe('bench: paired ratios', () => {
  it('takes the median of the ratios within each round, where the ratio of medians is misled', () => {
    // Rounds 3 and 4 were a busy spell for both; in round 5 only ours was slowed.
    const ours = { rounds: [200, 200, 100, 100, 100] };
    const theirs = { rounds: [100, 100, 50, 50, 100] };
    assert.equal(pairedRatio(ours, theirs), 2);
    assert.equal(median(ours.rounds) / median(theirs.rounds), 1);
    assert.equal(pairedRatio(theirs, ours), 0.5);
  });

  it('refuses rounds that cannot be paired', () => {
    assert.throws(() => pairedRatio({ rounds: [1, 2] }, { rounds: [1] }), RangeError);
    assert.throws(() => pairedRatio({ rounds: [] }, { rounds: [] }), RangeError);
  });
});

describe('bench: confidence interval of a median', () => {
  const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

  it('brackets the median with order statistics chosen from the binomial distribution', () => {
    // Exact binomial tails: the largest k with 2 · P(binomial(n, ½) ≤ k - 1) ≤ 0.05.
    assert.deepEqual(medianInterval(oneTo(6)), [1, 6]);
    assert.deepEqual(medianInterval(oneTo(10)), [2, 9]);
    assert.deepEqual(medianInterval(oneTo(20)), [6, 15]);
    assert.deepEqual(medianInterval(oneTo(30)), [10, 21]);
    assert.deepEqual(medianInterval(oneTo(100)), [40, 61]);
  });

  it('gives no interval from 5 values or fewer: even min–max misses the median 1 time in 16', () => {
    assert.equal(medianInterval(oneTo(5)), undefined);
    assert.equal(medianInterval([]), undefined);
  });

  it('is printed as low–high with two decimals, and not at all below 6 values', () => {
    assert.equal(intervalText(oneTo(20).map((n) => n / 8)), '0.75–1.88');
    assert.equal(intervalText(oneTo(5)), undefined);
  });

  it('sorts what it is given, and leaves the caller’s array alone', () => {
    const values = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    assert.deepEqual(medianInterval(values), [2, 9]);
    assert.deepEqual(values, [9, 1, 8, 2, 7, 3, 6, 4, 5, 10]);
  });

  it('covers the true median of a skewed distribution at least 95% of the time', () => {
    // Exponential values (median ln 2), from a seeded generator so the test is
    // the same on every run: 2,000 samples of 15 rounds each.
    let seed = 42;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let covered = 0;
    let narrower = 0;
    for (let sample = 0; sample < 2000; sample++) {
      const values = Array.from({ length: 15 }, () => -Math.log(1 - random()));
      const interval = medianInterval(values);
      assert.ok(interval !== undefined);
      if (interval[0] <= Math.LN2 && Math.LN2 <= interval[1]) covered++;
      if (interval[1] - interval[0] < Math.max(...values) - Math.min(...values)) narrower++;
    }
    // n = 15 gives k = 4, whose exact coverage is 1 - 2 · P(binomial ≤ 3) = 96.5%.
    assert.ok(covered >= 0.95 * 2000, `covered ${covered} of 2000`);
    assert.ok(covered <= 0.98 * 2000, `covered ${covered} of 2000: wider than it needs to be`);
    assert.equal(narrower, 2000);
  });
});
