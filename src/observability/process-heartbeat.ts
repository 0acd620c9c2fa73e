import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../core/logger';
import type { StateStore } from '../core/state-store';

/** What a running process says about itself, for the web console's overview. */
export interface ProcessRecord {
  /** A random id, new at each start. */
  id: string;
  /** `all`, `web` or `jobs`. */
  role: string;
  /** Deskmate's version. */
  version: string;
  /** The machine's host name. */
  host: string;
  /** The operating system's process id. */
  pid: number;
  /** When the process started (ISO 8601). */
  startedAt: string;
  /** When it last said so (ISO 8601). */
  seenAt: string;
  /** The adapters it runs (`slack`, `lark`, `console`). */
  adapters: string[];
}

/** How often a process says it is alive. */
const beatMs = 20_000;
/** A process not heard from in this long is gone. */
const recordTtlSeconds = 60;

const minuteOf = (at: number) => Math.floor(at / 60_000);
const indexKey = (minute: number) => `processes:${minute}`;
const recordKey = (id: string) => `processes:${id}`;

/** A process's heartbeat in the store; stop it on shutdown (its record goes with it). */
export interface ProcessHeartbeat {
  /** This process's record. */
  readonly record: ProcessRecord;
  /** Stop beating and remove the record. */
  stop(): Promise<void>;
}

/**
 * Say every 20 s in the store that this process is alive, with its role, version and adapters: a record
 * that expires after a minute, and its id in the index of the current minute (kept three minutes), so any
 * process of the deployment can list the others without scanning keys.
 */
export function startProcessHeartbeat(
  store: StateStore,
  facts: Pick<ProcessRecord, 'role' | 'version' | 'adapters'>,
  logger: Logger,
): ProcessHeartbeat {
  const record: ProcessRecord = {
    id: `${hostname().replace(/[^A-Za-z0-9.-]/g, '-')}-${process.pid}-${randomUUID().slice(0, 8)}`,
    ...facts,
    host: hostname(),
    pid: process.pid,
    startedAt: new Date().toISOString(),
    seenAt: new Date().toISOString(),
  };
  const beat = async () => {
    record.seenAt = new Date().toISOString();
    try {
      await store.setJson(recordKey(record.id), record, recordTtlSeconds);
      await store.incrementCounters(indexKey(minuteOf(Date.now())), { [record.id]: 1 }, 180);
    } catch (error) {
      logger.debug({ err: error, processId: record.id }, 'process heartbeat not written');
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), beatMs);
  timer.unref();
  return {
    record,
    async stop() {
      clearInterval(timer);
      await store.delete(recordKey(record.id)).catch(() => undefined);
    },
  };
}

/** The processes heard from in the last minute or two, oldest start first. */
export async function readProcesses(store: StateStore, now = Date.now()): Promise<ProcessRecord[]> {
  const minute = minuteOf(now);
  const indexes = await Promise.all([store.counters(indexKey(minute)), store.counters(indexKey(minute - 1))]);
  const ids = [...new Set(indexes.flatMap((index) => Object.keys(index)))];
  const records = await Promise.all(ids.map((id) => store.getJson<ProcessRecord>(recordKey(id))));
  return records
    .filter((record): record is ProcessRecord => record !== undefined)
    .sort((left, right) => left.startedAt.localeCompare(right.startedAt));
}
