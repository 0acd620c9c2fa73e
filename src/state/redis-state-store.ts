import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DeskmateError } from '../core/errors';
import type { ConversationTurn, Lock, MemoryLimits, StateStore } from '../core/state-store';

/** Options for the Redis store. */
interface RedisStateStoreOptions {
  /** `redis://` URL. */
  url: string;
  /** Prefix for every key, so two deployments can share one Redis. */
  prefix: string;
  /** Per-command timeout in milliseconds (the ack path must never hang on Redis). */
  commandTimeoutMs?: number;
}

// Append a turn, keep the newest N, then drop the oldest while the token total is over the cap.
const appendTurnScript = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local total = 0
local sizes = {}
for i, item in ipairs(items) do
  local size = cjson.decode(item).tokens or 0
  sizes[i] = size
  total = total + size
end
local drop = 0
while total > tonumber(ARGV[3]) and (#items - drop) > 1 do
  drop = drop + 1
  total = total - sizes[drop]
end
if drop > 0 then redis.call('LTRIM', KEYS[1], drop, -1) end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return #items - drop
`;

// Drop a person's turns and the assistant turn answering each; the list keeps its TTL. Returns how many went.
const forgetTurnsScript = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local kept = {}
local dropping = false
for _, item in ipairs(items) do
  local turn = cjson.decode(item)
  if turn.role == 'user' then dropping = turn.userId == ARGV[1] end
  if not dropping then table.insert(kept, item) end
end
local removed = #items - #kept
if removed == 0 then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
if #kept > 0 then
  redis.call('RPUSH', KEYS[1], unpack(kept))
  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
end
return removed
`;

const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const incrementScript = `
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ttl > 0 and redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return redis.call('HGETALL', KEYS[1])
`;

// Token bucket: state {tokens, at(ms)} in a hash; time from the Redis server so every process agrees.
const takeTokenScript = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) / 1000 * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return allowed
`;

function pairsToRecord(pairs: string[]): Record<string, number> {
  const record: Record<string, number> = {};
  for (let index = 0; index < pairs.length; index += 2) record[pairs[index]] = Number(pairs[index + 1]);
  return record;
}

/**
 * How long ioredis's `disconnect` waits for the socket to close before destroying it, for every connection
 * Deskmate opens. A live Redis closes at once; a connection already lost (reconnecting) never does, and the
 * default (2 s, a timer that holds the process open) only delays the exit of a process stopping while Redis
 * is away.
 */
export const disconnectTimeoutMs = 200;

/** Create the ioredis connection options Deskmate uses: fast failure, no unbounded offline queue. */
export function redisConnectionOptions(commandTimeoutMs = 1000) {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
    disconnectTimeout: disconnectTimeoutMs,
  };
}

/** Whether Redis refused the connection's credentials (a wrong password or user in REDIS_URL). */
function refusedCredentials(error: Error): boolean {
  return /^(WRONGPASS|NOAUTH)\b|invalid password|invalid username-password/i.test(error.message);
}

/** The setting problem a refused password is: never retried into a process that runs broken. */
function credentialsError(error: Error): DeskmateError {
  return new DeskmateError(
    'not_configured',
    `Redis refused the password in REDIS_URL (${error.message.split(' ')[0]}). Fix: put the right password in REDIS_URL (redis://:password@host:6379, or redis://user:password@host:6379 for an ACL user).`,
    { cause: error, retryable: false },
  );
}

/** Create a store backed by Redis, shared by every Deskmate process of a deployment. */
export function createRedisStateStore(options: RedisStateStoreOptions): StateStore & { client: Redis } {
  const client = new Redis(options.url, {
    ...redisConnectionOptions(options.commandTimeoutMs),
    keyPrefix: options.prefix,
    lazyConnect: false,
  });
  // Connection errors are reported by ping()/readiness; without a listener ioredis prints them raw. The last one
  // is kept: a refused password is a setting to fix, not an outage to wait out.
  let connectionError: Error | undefined;
  client.on('error', (error: Error) => {
    connectionError = error;
  });
  client.on('ready', () => {
    connectionError = undefined;
  });

  const wrap = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new DeskmateError('unavailable', `Redis ${operation} failed`, {
        cause: error,
        retryable: true,
        userMessage: {
          en: 'My storage (Redis) is unreachable right now; try again in a minute.',
          zh: '我的存储（Redis）暂时无法连接，请一分钟后再试。',
        },
      });
    }
  };
  const waitUntilReady = async (): Promise<void> => {
    if (client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const refused = (error: Error | undefined) => {
        if (!error || !refusedCredentials(error)) return false;
        cleanup();
        reject(credentialsError(error));
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        if (!refused(connectionError)) reject(new Error(`Redis not ready (status ${client.status})`));
      }, 2000);
      const onReady = () => {
        cleanup();
        resolve();
      };
      const onError = (error: Error) => refused(error);
      const cleanup = () => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
      };
      client.on('ready', onReady);
      client.on('error', onError);
      refused(connectionError);
    });
  };

  return {
    client,
    markSeen: (key, ttlSeconds) =>
      wrap('markSeen', async () => (await client.set(`seen:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK'),
    unmarkSeen: (key) =>
      wrap('unmarkSeen', async () => {
        await client.del(`seen:${key}`);
      }),
    appendTurn: (conversation: string, turn: ConversationTurn, limits: MemoryLimits) =>
      wrap('appendTurn', async () => {
        await client.eval(
          appendTurnScript,
          1,
          `turns:${conversation}`,
          JSON.stringify(turn),
          Math.max(1, limits.maxTurns),
          limits.maxTokens,
          limits.ttlSeconds,
        );
      }),
    forgetTurns: (conversation, userId) =>
      wrap('forgetTurns', async () =>
        Number(await client.eval(forgetTurnsScript, 1, `turns:${conversation}`, userId)),
      ),
    turns: (conversation) =>
      wrap('turns', async () =>
        (await client.lrange(`turns:${conversation}`, 0, -1)).map(
          (item) => JSON.parse(item) as ConversationTurn,
        ),
      ),
    acquireLock: (key, ttlMs) =>
      wrap('acquireLock', async (): Promise<Lock | null> => {
        const token = randomUUID();
        const lockKey = `lock:${key}`;
        const acquired = (await client.set(lockKey, token, 'PX', ttlMs, 'NX')) === 'OK';
        if (!acquired) return null;
        return {
          release: () =>
            wrap('releaseLock', async () => {
              await client.eval(releaseLockScript, 1, lockKey, token);
            }),
        };
      }),
    getJson: <T>(key: string) =>
      wrap('getJson', async () => {
        const value = await client.get(`json:${key}`);
        return value === null ? undefined : (JSON.parse(value) as T);
      }),
    setJson: (key, value, ttlSeconds) =>
      wrap('setJson', async () => {
        const serialized = JSON.stringify(value);
        if (ttlSeconds === undefined) await client.set(`json:${key}`, serialized);
        else await client.set(`json:${key}`, serialized, 'EX', ttlSeconds);
      }),
    delete: (key) =>
      wrap('delete', async () => {
        await client.del(`json:${key}`, `counters:${key}`);
      }),
    incrementCounters: (key, increments, ttlSeconds) =>
      wrap('incrementCounters', async () => {
        const flat = Object.entries(increments).flatMap(([field, amount]) => [field, String(amount)]);
        const pairs = (await client.eval(
          incrementScript,
          1,
          `counters:${key}`,
          ttlSeconds ?? 0,
          ...flat,
        )) as string[];
        return pairsToRecord(pairs);
      }),
    counters: (key) =>
      wrap('counters', async () => {
        const hash = await client.hgetall(`counters:${key}`);
        return Object.fromEntries(Object.entries(hash).map(([field, value]) => [field, Number(value)]));
      }),
    takeToken: (key, capacity, refillPerSecond) =>
      wrap(
        'takeToken',
        async () => (await client.eval(takeTokenScript, 1, `bucket:${key}`, capacity, refillPerSecond)) === 1,
      ),
    ping: async () => {
      await waitUntilReady();
      await client.ping();
    },
    close: async () => {
      client.disconnect();
    },
  };
}
