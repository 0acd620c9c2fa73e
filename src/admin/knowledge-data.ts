import type { KnowledgeIndex, KnowledgeSource, KnowledgeStatus } from '../core/knowledge-index';
import type { StateStore } from '../core/state-store';
import {
  type FolderSyncProgress,
  type FolderSyncRecord,
  readFolderSyncProgress,
  readFolderSyncRecord,
} from '../knowledge/folder-sync-record';
import { feedbackTotalsKey } from '../skills/knowledge/feedback';

/**
 * The knowledge base as the composition root hands it to the console. With role `all` the index is the one
 * the jobs write; with role `web` it is the same engine opened on the same KNOWLEDGE_URI (it reads what the
 * jobs processes wrote), and the console does not write to it.
 */
export interface ConsoleKnowledge {
  /** The index. */
  index: KnowledgeIndex;
  /** Whether this process may remove sources (role `all`); a web-only process only reads. */
  canForget: boolean;
  /** Whether a knowledge folder (KNOWLEDGE_DIR) is configured. */
  folderConfigured: boolean;
}

/** 👍 and 👎 votes. */
export interface VoteCounts {
  up: number;
  down: number;
}

/** What the knowledge page shows. */
export interface KnowledgeOverview {
  status: KnowledgeStatus;
  sources: KnowledgeSource[];
  /** The folder sync's last pass, when one was recorded. */
  lastSync?: FolderSyncRecord;
  /** The folder sync's pass under way, if one is. */
  syncing?: FolderSyncProgress;
  /** Votes by cited source id. */
  votesBySource: Map<string, VoteCounts>;
  /** Votes on answers citing any source, each source's share counted (an answer citing two counts twice). */
  votesOverall: VoteCounts;
  canForget: boolean;
  folderConfigured: boolean;
}

/** The votes per source from the feedback totals' fields (`up:<source id>`, `down:<source id>`). */
export async function readVotes(store: StateStore): Promise<Map<string, VoteCounts>> {
  const votes = new Map<string, VoteCounts>();
  for (const [field, value] of Object.entries(await store.counters(feedbackTotalsKey))) {
    const match = /^(up|down):(.+)$/.exec(field);
    if (!match || value <= 0) continue;
    const counts = votes.get(match[2]) ?? { up: 0, down: 0 };
    counts[match[1] as 'up' | 'down'] += Math.round(value);
    votes.set(match[2], counts);
  }
  return votes;
}

/** Read everything the knowledge page shows, at once. */
export async function readKnowledge(
  knowledge: ConsoleKnowledge,
  store: StateStore,
): Promise<KnowledgeOverview> {
  const [status, sources, lastSync, syncing, votesBySource] = await Promise.all([
    knowledge.index.status(),
    knowledge.index.sources(),
    readFolderSyncRecord(store),
    readFolderSyncProgress(store),
    readVotes(store),
  ]);
  const votesOverall = { up: 0, down: 0 };
  for (const counts of votesBySource.values()) {
    votesOverall.up += counts.up;
    votesOverall.down += counts.down;
  }
  return {
    status,
    sources,
    lastSync,
    ...(syncing ? { syncing } : {}),
    votesBySource,
    votesOverall,
    canForget: knowledge.canForget,
    folderConfigured: knowledge.folderConfigured,
  };
}
