/**
 * Login sessions in Redis (sessions.ts): each session a JSON value at
 * `<prefix>sess:<id>` that expires with its last refresh token, each user's
 * session ids in the set `<prefix>sessions:<user>`, and a revoked session a
 * key `<prefix>sid:<id>` that the per-request MGET looks at (redis.ts).
 *
 * Rotation is the check-then-act that must not race across processes, so it
 * runs as one Lua script: read the session, decide as sessions.ts `decide`
 * does, write. Two servers given the same refresh token at once get one
 * "rotated" and one "repeated", never two rotations.
 */
import type { Reply } from './resp.js';
import type { Rotation, RotationRequest, Session, SessionStore } from './sessions.js';
import { StoreUnavailableError } from './store.js';

/** Revokes the session decoded in `s` (its key KEYS[1]): its record and index entry gone, its `sid` refused until it would have expired. */
const REVOKE = `
local function revoke(key, s, prefix)
  redis.call('DEL', key)
  redis.call('SREM', prefix .. 'sessions:' .. s.user, s.id)
  local sid = prefix .. 'sid:' .. s.id
  local untilSeconds = s['until']
  if type(untilSeconds) == 'number' then
    redis.call('SET', sid, '1', 'PXAT', string.format('%d', math.ceil(untilSeconds * 1000)))
  else
    redis.call('SET', sid, '1')
  end
end
`;

/** KEYS[1] the session; ARGV: prefix, presented, next jti, next iat, now, grace, until (seconds or ''). */
const ROTATE = `${REVOKE}
local raw = redis.call('GET', KEYS[1])
if not raw then return {'unknown'} end
local s = cjson.decode(raw)
local now = tonumber(ARGV[5])
if s.current == ARGV[2] then
  s.previous = { jti = ARGV[2], next = ARGV[3], iat = tonumber(ARGV[4]), at = now }
  s.current = ARGV[3]
  s.refreshed = now
  if ARGV[7] == '' then
    s['until'] = cjson.null
    redis.call('SET', KEYS[1], cjson.encode(s))
  else
    s['until'] = tonumber(ARGV[7])
    redis.call('SET', KEYS[1], cjson.encode(s), 'PXAT', string.format('%d', math.ceil(s['until'] * 1000)))
  end
  return {'rotated'}
end
local p = s.previous
if type(p) == 'table' and p.jti == ARGV[2] and now - p.at <= tonumber(ARGV[6]) then
  return {'repeated', p.next, string.format('%d', p.iat)}
end
revoke(KEYS[1], s, ARGV[1])
return {'reused'}
`;

/** KEYS[1] the session; ARGV[1] prefix. 1 when there was one. */
const REVOKE_ONE = `${REVOKE}
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
revoke(KEYS[1], cjson.decode(raw), ARGV[1])
return 1
`;

/** KEYS[1] the user's set; ARGV[1] prefix. How many were revoked. */
const REVOKE_ALL = `${REVOKE}
local count = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. 'sess:' .. id
  local raw = redis.call('GET', key)
  if raw then
    revoke(key, cjson.decode(raw), ARGV[1])
    count = count + 1
  end
end
redis.call('DEL', KEYS[1])
return count
`;

/**
 * KEYS[1] the session, KEYS[2] the user's set; ARGV: the JSON, the id, PXAT or
 * '', the prefix, the most live sessions a user may have. The oldest beyond
 * that are revoked; ids of sessions that expired by themselves leave the set.
 */
const START = `${REVOKE}
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[3]) end
redis.call('SADD', KEYS[2], ARGV[2])
local limit = tonumber(ARGV[5])
if redis.call('SCARD', KEYS[2]) <= limit then return 0 end
local live = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local raw = redis.call('GET', ARGV[4] .. 'sess:' .. id)
  if raw then table.insert(live, cjson.decode(raw)) else redis.call('SREM', KEYS[2], id) end
end
table.sort(live, function(a, b) return a.created < b.created end)
local revoked = 0
for i = 1, #live - limit do
  revoke(ARGV[4] .. 'sess:' .. live[i].id, live[i], ARGV[4])
  revoked = revoked + 1
end
return revoked
`;

type Run = (...args: (string | number)[]) => Promise<Reply>;

export function redisSessions(run: Run, prefix: string): SessionStore {
  const key = (id: string): string => `${prefix}sess:${id}`;
  const userKey = (user: string): string => `${prefix}sessions:${user}`;
  const parse = (reply: Reply): Session | undefined => {
    if (reply === null) return undefined;
    if (typeof reply !== 'string') throw new StoreUnavailableError('Redis answered with something else than a session');
    return JSON.parse(reply) as Session;
  };
  return {
    start: async (session, maxPerUser) => {
      const pxat = session.until === null ? '' : Math.ceil(session.until * 1000);
      await run('EVAL', START, 2, key(session.id), userKey(session.user), JSON.stringify(session), session.id, pxat, prefix, maxPerUser);
    },
    rotate: async (request: RotationRequest): Promise<Rotation> => {
      const { id, presented, next, now, grace, until } = request;
      const reply = await run('EVAL', ROTATE, 1, key(id), prefix, presented, next.jti, next.iat, now, grace, until ?? '');
      const [kind, jti, iat] = Array.isArray(reply) ? reply : [];
      if (kind === 'rotated' || kind === 'reused' || kind === 'unknown') return { kind };
      if (kind === 'repeated' && typeof jti === 'string' && typeof iat === 'string') return { kind, jti, iat: Number(iat) };
      throw new StoreUnavailableError(`Redis answered the rotation with ${JSON.stringify(reply)}`);
    },
    get: async (id) => parse(await run('GET', key(id))),
    list: async (user) => {
      const ids = await run('SMEMBERS', userKey(user));
      if (!Array.isArray(ids) || ids.length === 0) return [];
      const values = await run('MGET', ...ids.map((id) => key(String(id))));
      const found = (Array.isArray(values) ? values : []).map(parse);
      // Sessions that expired by themselves leave their id in the set: drop those now.
      const gone = ids.filter((_, index) => found[index] === undefined).map(String);
      if (gone.length > 0) await run('SREM', userKey(user), ...gone);
      const sessions = found.filter((session): session is Session => session !== undefined);
      return sessions.sort((a, b) => a.created - b.created);
    },
    revoke: async (id) => (await run('EVAL', REVOKE_ONE, 1, key(id), prefix)) === 1,
    revokeAll: async (user) => Number(await run('EVAL', REVOKE_ALL, 1, userKey(user), prefix)),
  };
}
