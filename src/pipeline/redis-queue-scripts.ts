import type Redis from 'ioredis';

/**
 * The Redis layout of the job queue, one conversation at a time:
 * - `conversation:<key>`: the conversation's jobs in arrival order; the head is the one running or next;
 * - `ready`: conversations with a job to run and nobody running it;
 * - `claimed`: conversations a process took from `ready` and is about to own (a moment);
 * - `owners` (hash) and `active` (sorted set): who runs a conversation, and until when their lease holds;
 * - `delayed` (sorted set): conversations whose head waits for a retry;
 * - `attempts` (hash): runs started per job id, counted when a run starts (a process that dies counts);
 * - `depth`: jobs accepted and not yet finished.
 * A conversation is in at most one of `ready`, `claimed`, `active` and `delayed`: so its jobs run one at a
 * time, in order, across any number of processes. Times come from the Redis server, so every process agrees.
 */
interface QueueKeys {
  /** Prefix of the per-conversation job lists. */
  conversation: string;
  /** Conversations ready to run. */
  ready: string;
  /** Conversations being taken. */
  claimed: string;
  /** The claimed list as the last sweep saw it. */
  claimedSeen: string;
  /** Owner token per running conversation. */
  owners: string;
  /** Running conversations by lease deadline. */
  active: string;
  /** Conversations waiting for a retry, by due time. */
  delayed: string;
  /** Runs started per job id. */
  attempts: string;
  /** Jobs accepted and not finished. */
  depth: string;
  /** Prefix of dedupe keys. */
  seen: string;
}

/** The keys of a queue under a key prefix. */
export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}queue:${name}:`;
  return {
    conversation: `${base}conversation:`,
    ready: `${base}ready`,
    claimed: `${base}claimed`,
    claimedSeen: `${base}claimed-seen`,
    owners: `${base}owners`,
    active: `${base}active`,
    delayed: `${base}delayed`,
    attempts: `${base}attempts`,
    depth: `${base}depth`,
    seen: `${prefix}seen:`,
  };
}

const now = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

// KEYS: seen event, seen message, conversation list, ready, depth. ARGV: ttl, entry, conversation.
// 1 accepted, 0 duplicate: dedupe on both ids and the enqueue happen together or not at all.
const accept = `
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return 0 end
if KEYS[2] ~= KEYS[1] and not redis.call('SET', KEYS[2], '1', 'EX', ARGV[1], 'NX') then return 0 end
if redis.call('RPUSH', KEYS[3], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[4], ARGV[3]) end
redis.call('INCR', KEYS[5])
return 1
`;

// KEYS: claimed, owners, active, conversation list, attempts. ARGV: conversation, token, lease ms.
// The head job of a conversation just taken from `ready`, now owned, and the number of this run; nil when
// a sweep took the conversation back first. Sent again after a lost answer (Redis restarted), it answers the
// same without counting another run, so the conversation is not left owned by nobody until its lease ends.
const own = `
local head = redis.call('LINDEX', KEYS[4], 0)
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  if not head or redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return false end
  return { head, tonumber(redis.call('HGET', KEYS[5], cjson.decode(head).jobId) or '1') }
end
if not head then return false end
${now}
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[1])
local attempt = redis.call('HINCRBY', KEYS[5], cjson.decode(head).jobId, 1)
return { head, attempt }
`;

// KEYS: ready, owners, active, attempts. ARGV: most to take, token, lease ms, prefix of the job lists.
// Take and own up to that many ready conversations in one round trip (a burst is claimed in batches; the
// blocking take below waits only when nothing is ready). Returns conversation, head, run number triples.
// The job lists' names are built here from the prefix: one Redis, not a cluster.
const ownReady = `
${now}
local taken = {}
for _ = 1, tonumber(ARGV[1]) do
  local conversation = redis.call('LPOP', KEYS[1])
  if not conversation then break end
  local head = redis.call('LINDEX', ARGV[4] .. conversation, 0)
  if head then
    redis.call('HSET', KEYS[2], conversation, ARGV[2])
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), conversation)
    local attempt = redis.call('HINCRBY', KEYS[4], cjson.decode(head).jobId, 1)
    table.insert(taken, conversation)
    table.insert(taken, head)
    table.insert(taken, attempt)
  end
end
return taken
`;

// KEYS: claimed, ready. ARGV: conversation. A conversation taken while stopping goes back, first in line.
const unclaim = `
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then redis.call('LPUSH', KEYS[2], ARGV[1]) end
return 1
`;

// KEYS: owners, active. ARGV: lease ms, then conversation and token pairs. Extends the leases still held.
const renew = `
${now}
local held = 0
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[i])
    held = held + 1
  end
end
return held
`;

// KEYS: owners, active, conversation list, ready, depth, attempts. ARGV: conversation, token, job id.
// The head is done (or given up): removed, and the conversation is ready again when it has more.
const finish = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('LPOP', KEYS[3])
redis.call('HDEL', KEYS[6], ARGV[3])
redis.call('DECR', KEYS[5])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[3]) > 0 then redis.call('RPUSH', KEYS[4], ARGV[1]) end
return 1
`;

// KEYS: owners, active, delayed, ready. ARGV: conversation, token, delay ms.
// The head runs again later: a retry after a delay, or at once in another process after a shutdown.
const retry = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if tonumber(ARGV[3]) <= 0 then
  redis.call('RPUSH', KEYS[4], ARGV[1])
else
  ${now}
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[1])
end
return 1
`;

// KEYS: owners, active, delayed, ready, claimed, claimed-seen. ARGV: whether to sweep `claimed`.
// Leases that ran out (their process died) and retries that are due go back to `ready`; a conversation
// still in `claimed` since the last sweep (its process died between taking and owning it) too.
const sweep = `
${now}
local moved = 0
for _, conversation in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('HDEL', KEYS[1], conversation)
  redis.call('ZREM', KEYS[2], conversation)
  redis.call('RPUSH', KEYS[4], conversation)
  moved = moved + 1
end
for _, conversation in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[3], conversation)
  redis.call('RPUSH', KEYS[4], conversation)
  moved = moved + 1
end
if ARGV[1] == '1' then
  local claimed = redis.call('LRANGE', KEYS[5], 0, -1)
  for _, conversation in ipairs(claimed) do
    if redis.call('SISMEMBER', KEYS[6], conversation) == 1 then
      redis.call('LREM', KEYS[5], 1, conversation)
      redis.call('RPUSH', KEYS[4], conversation)
      moved = moved + 1
    end
  end
  redis.call('DEL', KEYS[6])
  local left = redis.call('LRANGE', KEYS[5], 0, -1)
  if #left > 0 then redis.call('SADD', KEYS[6], unpack(left)) end
end
return moved
`;

/** A connection with the queue's scripts as commands (sent by hash after their first use). */
export type QueueRedis = Redis & {
  deskmateAccept(
    seenEvent: string,
    seenMessage: string,
    list: string,
    ready: string,
    depth: string,
    ttl: number,
    entry: string,
    conversation: string,
  ): Promise<number>;
  deskmateOwn(
    claimed: string,
    owners: string,
    active: string,
    list: string,
    attempts: string,
    conversation: string,
    token: string,
    leaseMs: number,
  ): Promise<[string, number] | null>;
  deskmateUnclaim(claimed: string, ready: string, conversation: string): Promise<number>;
  deskmateOwnReady(
    ready: string,
    owners: string,
    active: string,
    attempts: string,
    most: number,
    token: string,
    leaseMs: number,
    listPrefix: string,
  ): Promise<Array<string | number>>;
  deskmateRenew(owners: string, active: string, leaseMs: number, ...pairs: string[]): Promise<number>;
  deskmateFinish(
    owners: string,
    active: string,
    list: string,
    ready: string,
    depth: string,
    attempts: string,
    conversation: string,
    token: string,
    jobId: string,
  ): Promise<number>;
  deskmateRetry(
    owners: string,
    active: string,
    delayed: string,
    ready: string,
    conversation: string,
    token: string,
    delayMs: number,
  ): Promise<number>;
  deskmateSweep(
    owners: string,
    active: string,
    delayed: string,
    ready: string,
    claimed: string,
    claimedSeen: string,
    sweepClaimed: '0' | '1',
  ): Promise<number>;
};

/** The connection with the queue's scripts defined on it. */
export function withQueueScripts(connection: Redis): QueueRedis {
  const target = connection as QueueRedis;
  if (typeof target.deskmateAccept !== 'function') {
    connection.defineCommand('deskmateAccept', { numberOfKeys: 5, lua: accept });
    connection.defineCommand('deskmateOwn', { numberOfKeys: 5, lua: own });
    connection.defineCommand('deskmateUnclaim', { numberOfKeys: 2, lua: unclaim });
    connection.defineCommand('deskmateOwnReady', { numberOfKeys: 4, lua: ownReady });
    connection.defineCommand('deskmateRenew', { numberOfKeys: 2, lua: renew });
    connection.defineCommand('deskmateFinish', { numberOfKeys: 6, lua: finish });
    connection.defineCommand('deskmateRetry', { numberOfKeys: 4, lua: retry });
    connection.defineCommand('deskmateSweep', { numberOfKeys: 6, lua: sweep });
  }
  return target;
}
