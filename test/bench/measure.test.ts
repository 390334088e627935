import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median, pairedRatio } from '../../bench/measure.js';

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
