/**
 * The file store's promises: what was acknowledged is on disk and comes back
 * after a restart; a torn last record (a crash mid-write) is dropped with a
 * warning; damage anywhere else stops the start-up and says where; one process
 * per directory; owner-only files; a log that does not grow without bound.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileStore } from '../../server/stores/file.js';
import { frame } from '../../server/stores/logrecords.js';
import type { Session } from '../../server/stores/sessions.js';
import { StoreSetupError, StoreUnavailableError } from '../../server/stores/store.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plainjwt-file-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const lines = (dir: string): string[] => readFileSync(join(dir, 'store.log'), 'utf8').split('\n').filter((line) => line !== '');
const later = Date.now() / 1000 + 3600;

describe('the file store', () => {
  it('brings back users and revocations after a restart', async () => {
    const dir = freshDir();
    const first = await FileStore.open(dir);
    await first.users.create('ann', 'hash-ann');
    await first.users.create('bob', 'hash-bob');
    await first.blocklist.add('jti-1', later);
    await first.blocklist.add('jti-forever', undefined);
    await first.deleteAccount('bob', 1_700_000_000, later);
    await first.close();

    const second = await FileStore.open(dir);
    try {
      assert.equal(await second.users.hash('ann'), 'hash-ann');
      assert.equal(await second.users.hash('bob'), undefined);
      assert.equal(await second.blocklist.isRevoked('jti-1', 'ann', 1), true);
      assert.equal(await second.blocklist.has('jti-forever'), true);
      assert.equal(await second.blocklist.isRevoked('x', 'bob', 1_700_000_000), true);
      assert.equal(await second.users.create('ann', 'other'), false, 'the name is still taken');
    } finally {
      await second.close();
    }
  });

  it('brings back sessions, their rotations and revoked sessions after a restart, and through a compaction', async () => {
    const dir = freshDir();
    const now = Date.now() / 1000;
    const session = (id: string): Session => ({ id, user: 'ann', created: now, refreshed: null, address: '127.0.0.1', userAgent: 'ua', current: `${id}-r1`, previous: null, until: later });
    const first = await FileStore.open(dir);
    await first.sessions.start(session('s1'), 100);
    await first.sessions.start(session('s2'), 100);
    await first.sessions.start({ ...session('s3'), until: now - 1 }, 100); // expired: dropped by the compaction
    assert.equal((await first.sessions.rotate({ id: 's1', presented: 's1-r1', next: { jti: 's1-r2', iat: 5 }, now, grace: 10, until: later })).kind, 'rotated');
    assert.equal((await first.sessions.rotate({ id: 's2', presented: 'stale', next: { jti: 'x', iat: 5 }, now, grace: 10, until: later })).kind, 'reused');
    await first.close();

    const second = await FileStore.open(dir); // replays, then compacts (s2's records and s3 are dead)
    try {
      assert.equal((await second.sessions.get('s1'))?.current, 's1-r2');
      assert.deepEqual(await second.sessions.rotate({ id: 's1', presented: 's1-r1', next: { jti: 'y', iat: 6 }, now, grace: 10, until: later }), { kind: 'repeated', jti: 's1-r2', iat: 5 });
      assert.equal(await second.sessions.get('s2'), undefined);
      assert.equal(await second.blocklist.isRevoked('any', 'ann', now, 's2'), true, 'the reused session stays revoked');
      assert.equal(await second.blocklist.isRevoked('any', 'ann', now, 's1'), false);
      assert.deepEqual((await second.sessions.list('ann')).map((s) => s.id), ['s1']);
      assert.ok(lines(dir).every((line) => !line.includes('"s3"')), 'the expired session is not in the compacted log');
      assert.equal(await second.sessions.revokeAll('ann'), 1);
    } finally {
      await second.close();
    }
    const third = await FileStore.open(dir);
    assert.equal(await third.blocklist.isRevoked('any', 'ann', now, 's1'), true);
    assert.deepEqual(await third.sessions.list('ann'), []);
    await third.close();
  });

  it('drops a torn last record with a warning, and goes on writing after it', async () => {
    const dir = freshDir();
    const store = await FileStore.open(dir);
    await store.users.create('ann', 'h1');
    await store.close();
    appendFileSync(join(dir, 'store.log'), frame({ op: 'user', name: 'half', hash: 'h2' }).slice(0, 20)); // cut mid-write
    const warnings: string[] = [];
    const reopened = await FileStore.open(dir, { warn: (message) => warnings.push(message) });
    try {
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /dropped a torn last record \(line 2, 20 bytes\)/);
      assert.equal(await reopened.users.hash('ann'), 'h1');
      assert.equal(await reopened.users.hash('half'), undefined);
      await reopened.users.create('cy', 'h3');
      assert.equal(lines(dir).length, 2, 'the torn bytes were cut off before appending');
    } finally {
      await reopened.close();
    }
    const again = await FileStore.open(dir, { warn: (message) => warnings.push(message) });
    assert.equal(await again.users.hash('cy'), 'h3');
    assert.equal(warnings.length, 1, 'nothing to warn about the second time');
    await again.close();
  });

  it('treats a complete last line with a wrong checksum as torn too', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'store.log'), frame({ op: 'user', name: 'ann', hash: 'h' }) + '00000000 {"op":"user","name":"x","hash":"y"}\n');
    const warnings: string[] = [];
    const store = await FileStore.open(dir, { warn: (message) => warnings.push(message) });
    assert.equal(await store.users.hash('x'), undefined);
    assert.equal(warnings.length, 1);
    await store.close();
  });

  it('refuses to start on damage before the last record, saying where', async () => {
    const dir = freshDir();
    const records = [frame({ op: 'user', name: 'ann', hash: 'h1' }), frame({ op: 'user', name: 'bob', hash: 'h2' }), frame({ op: 'user', name: 'cy', hash: 'h3' })];
    const damaged = records[1]?.replace('bob', 'rob') ?? '';
    writeFileSync(join(dir, 'store.log'), (records[0] ?? '') + damaged + (records[2] ?? ''));
    await assert.rejects(FileStore.open(dir), (error: Error) => {
      assert.ok(error instanceof StoreSetupError);
      assert.match(error.message, /store\.log is damaged at line 2 \(byte \d+\)/);
      assert.match(error.message, /will not start rather than lose the records after it/);
      return true;
    });
    assert.equal(readFileSync(join(dir, 'store.log'), 'utf8').includes('cy'), true, 'nothing was cut or rewritten');
    // The lock is released, so the operator can fix the file and start again.
    writeFileSync(join(dir, 'store.log'), records.join(''));
    const store = await FileStore.open(dir);
    assert.equal(await store.users.hash('cy'), 'h3');
    await store.close();
  });

  it('refuses a record it does not know rather than skipping it', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'store.log'), frame({ op: 'rename', from: 'a', to: 'b' }) + frame({ op: 'user', name: 'ann', hash: 'h' }));
    await assert.rejects(FileStore.open(dir), /line 1 holds a record this server does not know/);
  });

  it('lets one process at a time open a directory, and points to Redis', async () => {
    const dir = freshDir();
    const store = await FileStore.open(dir);
    await assert.rejects(FileStore.open(dir), /in use by process \d+: one process per file store\. To run several server processes, share a Redis instead: STORE_URL=redis:\/\//);
    await store.close();
    const again = await FileStore.open(dir);
    await again.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = freshDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'store.lock'), gone.stdout);
    const store = await FileStore.open(dir);
    assert.equal(readFileSync(join(dir, 'store.lock'), 'utf8'), String(process.pid));
    await store.close();
  });

  it('keeps its files owner-only', async () => {
    const dir = join(freshDir(), 'nested');
    const store = await FileStore.open(dir);
    await store.users.create('ann', 'h');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'store.log')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'store.lock')).mode & 0o777, 0o600);
    await store.close();
  });

  it('compacts at start: expired revocations and deleted users are left out of the new log', async () => {
    const dir = freshDir();
    const store = await FileStore.open(dir);
    const past = Date.now() / 1000 - 1;
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.blocklist.add(`old-${i}`, past)));
    await store.blocklist.add('live', later);
    await store.users.create('gone', 'h');
    await store.users.delete('gone');
    await store.users.create('kept', 'h');
    await store.close();
    assert.equal(lines(dir).length, 54);
    const reopened = await FileStore.open(dir);
    assert.deepEqual(lines(dir).map((line) => JSON.parse(line.slice(9)) as { op: string }).map((record) => record.op).sort(), ['token', 'user']);
    assert.equal(await reopened.blocklist.has('live'), true);
    assert.equal(await reopened.users.hash('kept'), 'h');
    await reopened.close();
  });

  it('compacts while running once the log has outgrown what is live', async () => {
    const dir = freshDir();
    const store = await FileStore.open(dir);
    const past = Date.now() / 1000 - 1;
    await Promise.all(Array.from({ length: 2100 }, (_, i) => store.blocklist.add(`old-${i}`, past)));
    await store.blocklist.add('live', later);
    await store.close(); // waits for a compaction in progress
    assert.ok(lines(dir).length < 1200, `${lines(dir).length} records after compaction`);
    const reopened = await FileStore.open(dir);
    assert.equal(await reopened.blocklist.has('live'), true);
    await reopened.close();
  });

  it('refuses everything once closed, as it would after a failed write', async () => {
    const dir = freshDir();
    const store = await FileStore.open(dir);
    await store.close();
    await assert.rejects(store.users.create('ann', 'h'), StoreUnavailableError);
    await assert.rejects(async () => store.blocklist.isRevoked('j', 's', 1), StoreUnavailableError);
    await assert.rejects(store.ping(), /cannot record changes: it is closed/);
  });
});
