/** The verified-token cache: hits re-check the clock, failures never enter, the least recently used leave first. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createVerifier, sign, type VerifiedJwt } from '../../lib/index.js';
import { VerifiedCache } from '../../lib/cache.js';
import { KEY32, NOW } from '../helpers.js';

describe('verified-token cache', () => {
  it('hands out the same frozen result on a hit', () => {
    const verify = createVerifier({ key: KEY32, cache: { max: 10 }, now: () => NOW });
    const token = sign({ sub: 'alice', nested: { a: [1] } }, KEY32, { now: () => NOW });
    const first = verify(token);
    assert.equal(verify(token), first);
    assert.ok(Object.isFrozen(first.payload) && Object.isFrozen(first.payload['nested']));
    assert.throws(() => {
      (first.payload as Record<string, unknown>)['sub'] = 'mallory';
    }, TypeError);
    // Without a cache, results are fresh objects the caller may change.
    const plain = createVerifier({ key: KEY32, now: () => NOW });
    assert.notEqual(plain(token), plain(token));
    assert.equal(Object.isFrozen(plain(token).payload), false);
  });

  it('expires a cached token exactly when an uncached one would, leeway included', () => {
    let now = NOW;
    const token = sign({ exp: NOW + 60 }, KEY32, { now: () => NOW });
    const cached = createVerifier({ key: KEY32, cache: { max: 10 }, leeway: 5, now: () => now });
    const uncached = createVerifier({ key: KEY32, leeway: 5, now: () => now });
    assert.ok(cached(token));
    for (const at of [NOW + 59, NOW + 64, NOW + 64.999, NOW + 65, NOW + 1000]) {
      now = at;
      const expected = (() => { try { uncached(token); return 'ok'; } catch (error) { return (error as { code: string }).code; } })();
      const actual = (() => { try { cached(token); return 'ok'; } catch (error) { return (error as { code: string }).code; } })();
      assert.equal(actual, expected, `at NOW + ${at - NOW}`);
    }
    assert.throws(() => cached(token), { code: 'ERR_JWT_EXPIRED' });
  });

  it('re-checks nbf, iat and maxAge on a hit too', () => {
    let now = NOW;
    const verify = createVerifier({ key: KEY32, cache: { max: 10 }, maxAge: 100, now: () => now });
    const notYet = sign({ nbf: NOW + 10 }, KEY32, { now: () => NOW });
    assert.throws(() => verify(notYet), { code: 'ERR_JWT_NOT_YET_VALID' }, 'a failure is not cached');
    now = NOW + 10;
    const first = verify(notYet);
    now = NOW - 1; // the clock stepped back
    assert.throws(() => verify(notYet), { code: 'ERR_JWT_NOT_YET_VALID' });
    now = NOW + 50;
    assert.notEqual(verify(notYet), first, 'verified afresh after the failed hit');
    now = NOW + 100;
    assert.throws(() => verify(notYet), { code: 'ERR_JWT_EXPIRED', message: /older than maxAge/ });
  });

  it('a changed token is never served from the cache', () => {
    const verify = createVerifier({ key: KEY32, cache: { max: 10 }, now: () => NOW });
    const token = sign({ sub: 'alice' }, KEY32, { now: () => NOW });
    verify(token);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'Q' : 'A'}`;
    assert.throws(() => verify(flipped), { code: /ERR_JWT_SIGNATURE_INVALID|ERR_BASE64URL_INVALID/ });
  });

  it('a token that ends like a cached one (its signature pasted onto another payload) is verified afresh and refused', () => {
    const verify = createVerifier({ key: KEY32, cache: { max: 10 }, now: () => NOW });
    const token = sign({ sub: 'alice' }, KEY32, { now: () => NOW });
    const first = verify(token);
    const [header, , signature] = token.split('.');
    const forged = `${header ?? ''}.${Buffer.from('{"sub":"mallory"}').toString('base64url')}.${signature ?? ''}`;
    assert.throws(() => verify(forged), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    assert.throws(() => verify(forged), { code: 'ERR_JWT_SIGNATURE_INVALID' }, 'and again: never a hit');
    assert.equal(verify(token), first, 'the cached token is still there');
  });

  it('keeps one entry per last 22 characters: the newer token replaces the older, and only an exact token is a hit or is deleted', () => {
    const lru = new VerifiedCache({ max: 2 });
    const result = (name: string): VerifiedJwt => ({ header: { alg: 'HS256' }, payload: { sub: name } });
    const tail = 'T'.repeat(22);
    const [one, two, other] = [result('one'), result('two'), result('other')];
    lru.set(`one.${tail}`, one);
    lru.set('other', other);
    lru.set(`two.${tail}`, two); // replaces one, and goes to the young end: nothing is evicted
    assert.equal(lru.size, 2);
    assert.equal(lru.get(`one.${tail}`), undefined);
    assert.equal(lru.get(`two.${tail}`), two);
    assert.equal(lru.get('other'), other);
    lru.delete(`one.${tail}`); // not the token in the entry: nothing happens
    assert.equal(lru.get(`two.${tail}`), two);
    lru.delete(`two.${tail}`);
    assert.equal(lru.get(`two.${tail}`), undefined);
    assert.equal(lru.size, 1);
    lru.set('x', result('x'));
    lru.set('y', result('y')); // full: the oldest, "other", leaves
    assert.equal(lru.get('other'), undefined);
  });

  it('tokens whose different endings share an entry key: the newer takes the entry, the older misses and never gets the newer result', () => {
    // Keys are 30-bit numbers: among 200,000 random-looking distinct endings
    // some share one (about 18 pairs expected), found here by their effect.
    const lru = new VerifiedCache({ max: 1_000_000 });
    const result = (name: string): VerifiedJwt => ({ header: { alg: 'HS256' }, payload: { sub: name } });
    const tokens = Array.from({ length: 200_000 }, (_, i) => `header.payload.${createHash('sha256').update(String(i)).digest('base64url').slice(0, 22)}`);
    const results = tokens.map(result);
    tokens.forEach((token, i) => lru.set(token, results[i]!));
    const replaced = tokens.filter((token) => lru.get(token) === undefined);
    assert.ok(replaced.length > 0, 'some endings share a key');
    assert.equal(lru.size, tokens.length - replaced.length, 'one entry per key');
    for (const token of replaced) lru.delete(token); // not the token in its entry: nothing happens
    assert.equal(lru.size, tokens.length - replaced.length, 'deleting an older token leaves the newer one');
    tokens.forEach((token, i) => {
      const hit = lru.get(token);
      if (hit !== undefined) assert.equal(hit, results[i], 'a hit is always the result of the very same token');
    });
  });

  it('a flood of bad tokens does not evict a good one; good ones leave least recently used first', () => {
    const verify = createVerifier({ key: KEY32, cache: { max: 2 }, now: () => NOW });
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => sign({ sub }, KEY32, { now: () => NOW }));
    const first = verify(a ?? '');
    for (let i = 0; i < 1000; i++) {
      try {
        verify(`${a ?? ''}x${i}`);
      } catch {
        // refused, and not remembered
      }
    }
    assert.equal(verify(a ?? ''), first, 'still cached');
    verify(b ?? '');
    verify(a ?? ''); // a is now the most recently used
    verify(c ?? ''); // evicts b
    assert.equal(verify(a ?? ''), first);
    const again = createVerifier({ key: KEY32, cache: { max: 1 }, now: () => NOW });
    const one = again(a ?? '');
    again(b ?? '');
    assert.notEqual(again(a ?? ''), one, 'evicted, verified again');
  });

  it('moves a hit to the young end only from the older half, and a hit survives max/2 more insertions', () => {
    const lru = new VerifiedCache({ max: 4 });
    const result = (name: string): VerifiedJwt => ({ header: { alg: 'HS256' }, payload: { sub: name } });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(result);
    lru.set('a', a!);
    lru.set('b', b!);
    lru.set('c', c!);
    lru.set('d', d!);
    assert.equal(lru.get('d'), d, 'the youngest: a hit, left in place');
    assert.equal(lru.get('a'), a, 'the oldest: a hit, moved to the young end');
    lru.set('e', result('e')); // evicts b, now the oldest
    assert.equal(lru.get('b'), undefined);
    lru.set('f', result('f')); // evicts c
    assert.equal(lru.get('c'), undefined);
    assert.equal(lru.get('a'), a, 'hit two insertions ago (max/2): still there');
    assert.equal(lru.get('d'), d, 'hit before a, left in place, and still there after two insertions');
    lru.set('g', result('g')); // d moved when hit just now (it was in the older half): e is the oldest
    assert.equal(lru.get('e'), undefined);
    assert.equal(lru.size, 4);

    // In the younger half a hit stays in place (strict LRU would move t6 behind t9, and keep it here).
    const ten = new VerifiedCache({ max: 10 });
    for (let i = 0; i < 10; i++) ten.set(`t${i}`, result(`t${i}`));
    assert.ok(ten.get('t6') !== undefined);
    for (let i = 10; i < 17; i++) ten.set(`t${i}`, result(`t${i}`)); // 7 insertions: t0 … t6 leave
    assert.equal(ten.get('t6'), undefined);
    assert.ok(ten.get('t7') !== undefined);
  });

  it('refuses a cache without a positive integer max', () => {
    for (const cache of [{ max: 0 }, { max: 1.5 }, { max: -1 }, null, 5]) {
      assert.throws(() => createVerifier({ key: KEY32, cache: cache as never }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    }
    const lru = new VerifiedCache({ max: 1 });
    assert.equal(lru.get('x'), undefined);
    assert.equal(lru.size, 0);
  });
});
