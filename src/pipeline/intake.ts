import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { InboundMessage } from '../core/inbound-message';
import type { EnqueueOutcome } from '../core/job-queue';
import type { Logger } from '../core/logger';
import { dedupeTtlSeconds, jobIdFor, messageDedupeKey } from './dedupe';

/**
 * The intake in front of BullMQ. Acknowledging an event costs one small script: the message's dedupe key
 * (9 hours) and the message itself, appended to a Redis list, written together or not at all. A mover where
 * jobs run takes messages from the list into BullMQ in batches, as the workers make room: a message is first
 * moved to a "moving" list, added as a job with an id derived from its event (adding it twice makes one job),
 * then removed from there; what a dead mover left in "moving" is added again at the next start.
 */
export interface IntakeKeys {
  /** The list of accepted messages not yet in BullMQ. */
  intake: string;
  /** Messages a mover took and has not yet confirmed in BullMQ. */
  moving: string;
  /** Prefix of dedupe keys. */
  seen: string;
}

/** The keys of one queue's intake under a key prefix. */
export function intakeKeys(prefix: string, queueName: string): IntakeKeys {
  return {
    intake: `${prefix}intake:${queueName}`,
    moving: `${prefix}intake:${queueName}:moving`,
    seen: `${prefix}seen:`,
  };
}

// KEYS[1] dedupe key, KEYS[2] intake list; ARGV[1] TTL in seconds, ARGV[2] the message. 1: accepted, 0: seen.
const acceptScript = `
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`;

// KEYS[1] intake, KEYS[2] moving; ARGV[1] most to take. Moves up to that many, oldest first, and returns them.
const takeScript = `
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items == 0 then return items end
redis.call('LTRIM', KEYS[1], #items, -1)
redis.call('RPUSH', KEYS[2], unpack(items))
return items
`;

type ScriptedRedis = Redis & {
  deskmateAccept(dedupeKey: string, intake: string, ttl: number, entry: string): Promise<number>;
  deskmateTake(intake: string, moving: string, most: number): Promise<string[]>;
};

/** Register the intake scripts on a connection (sent by hash after the first use). */
function scripted(connection: Redis): ScriptedRedis {
  const target = connection as ScriptedRedis;
  if (typeof target.deskmateAccept !== 'function') {
    connection.defineCommand('deskmateAccept', { numberOfKeys: 2, lua: acceptScript });
    connection.defineCommand('deskmateTake', { numberOfKeys: 2, lua: takeScript });
  }
  return target;
}

/** Accept a message into the intake in one round trip: `duplicate` when its message was seen in 9 hours. */
export async function acceptMessage(
  connection: Redis,
  keys: IntakeKeys,
  message: InboundMessage,
): Promise<EnqueueOutcome> {
  const accepted = await scripted(connection).deskmateAccept(
    `${keys.seen}${messageDedupeKey(message)}`,
    keys.intake,
    dedupeTtlSeconds,
    JSON.stringify(message),
  );
  return accepted === 1 ? 'accepted' : 'duplicate';
}

/** Messages waiting in the intake or being moved. */
export async function intakeDepth(connection: Redis, keys: IntakeKeys): Promise<number> {
  const [waiting, moving] = await Promise.all([connection.llen(keys.intake), connection.llen(keys.moving)]);
  return waiting + moving;
}

/** A running mover. */
export interface IntakeMover {
  /** Look again for room in BullMQ's waiting list now (a worker here took or finished a job). */
  wake(): void;
  /** Stop taking messages (what was taken is finished first). */
  stop(): Promise<void>;
}

const batchSize = 100;
const idleWaitSeconds = 1;
/** How often a full waiting list is read again when no worker here said it took a job (workers elsewhere). */
const fullPollMs = 250;

/**
 * Move accepted messages from the intake into BullMQ until stopped, on its own (blocking) connection. It keeps
 * at most `waitingLimit` jobs waiting in BullMQ: the rest wait in the intake, where a message costs one
 * list entry. Jobs are added as workers take them, not as fast as they arrive, so a burst of events does
 * not make the job side spend its CPU (and Redis its time) adding jobs that will wait anyway.
 */
export function startIntakeMover(options: {
  connection: Redis;
  keys: IntakeKeys;
  queue: Queue;
  logger: Logger;
  /** The most jobs left waiting in BullMQ (twice the workers' concurrency keeps them busy). */
  waitingLimit: number;
  /** How often "moving" is swept for what a dead mover left there (default 30 s). */
  sweepIntervalMs?: number;
}): IntakeMover {
  const { connection, keys, queue, logger } = options;
  const sweepIntervalMs = options.sweepIntervalMs ?? 30_000;
  const redis = scripted(connection);
  let stopped = false;
  let wakeUp: (() => void) | undefined;

  /** Wait until a worker here takes a job, the poll interval passes, or the mover stops. */
  const waitForRoom = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = undefined;
        resolve();
      }, fullPollMs);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
    });

  /** Jobs waiting in BullMQ now (waiting or prioritized). */
  const waiting = async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized');
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  };

  const addAll = async (entries: string[]) => {
    if (entries.length === 0) return;
    const jobs = [];
    for (const entry of entries) {
      try {
        const message = JSON.parse(entry) as InboundMessage;
        jobs.push({ name: 'message', data: message, opts: { jobId: jobIdFor(message) } });
      } catch {
        logger.error({ bytes: entry.length }, 'unreadable intake entry dropped');
      }
    }
    if (jobs.length > 0) await queue.addBulk(jobs);
    const confirm = connection.multi();
    for (const entry of entries) confirm.lrem(keys.moving, 1, entry);
    await confirm.exec();
  };

  const run = async () => {
    // At the start, after a failure and every sweep interval: what is left half-moved (by this mover, or by
    // one in a process that died while others run on) is added again; that is safe, the job id is the event's.
    let recover = true;
    let sweptAt = 0;
    while (!stopped) {
      try {
        if (recover || Date.now() - sweptAt >= sweepIntervalMs) {
          await addAll(await connection.lrange(keys.moving, 0, -1));
          recover = false;
          sweptAt = Date.now();
        }
        const room = Math.min(batchSize, options.waitingLimit - (await waiting()));
        if (room <= 0) {
          await waitForRoom();
          continue;
        }
        const first = await connection.blmove(keys.intake, keys.moving, 'LEFT', 'RIGHT', idleWaitSeconds);
        if (!first) continue;
        const rest = room > 1 ? await redis.deskmateTake(keys.intake, keys.moving, room - 1) : [];
        await addAll([first, ...rest]);
      } catch (error) {
        if (stopped) return;
        recover = true;
        logger.warn({ err: error }, 'intake mover failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const running = run().catch((error: unknown) => logger.error({ err: error }, 'intake mover stopped'));

  return {
    wake() {
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await Promise.race([
        running,
        new Promise((resolve) => setTimeout(resolve, (idleWaitSeconds + 1) * 1000)),
      ]);
    },
  };
}
