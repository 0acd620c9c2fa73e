import type { InboundMessage } from '../core/inbound-message';
import type { Reply } from '../core/reply';
import type { StateStore } from '../core/state-store';
import { detectLanguage } from '../text/language';

/** Who may use Deskmate and how fast; empty allow-lists mean everyone. */
export interface RequestLimits {
  /** Workspace ids allowed (Slack team ids, Lark tenant keys). */
  allowWorkspaces: string[];
  /** Channel ids allowed (Slack channel ids, Lark chat ids). DMs are allowed when the user is. */
  allowChannels: string[];
  /** User ids allowed. */
  allowUsers: string[];
  /** Requests per minute per user (0: unlimited). */
  userPerMinute: number;
  /** Requests per minute per workspace (0: unlimited). */
  workspacePerMinute: number;
}

const notAllowed = {
  en: "Deskmate isn't enabled here. Ask your admin to add this workspace, channel or user to its allow-list (ALLOW_WORKSPACES, ALLOW_CHANNELS, ALLOW_USERS).",
  zh: '此处尚未启用 Deskmate。请联系管理员把该工作区、群聊或用户加入白名单（ALLOW_WORKSPACES、ALLOW_CHANNELS、ALLOW_USERS）。',
};
const tooFast = {
  user: {
    en: "You're sending requests faster than I can take them. Try again in a minute.",
    zh: '你的请求太频繁了，请一分钟后再试。',
  },
  workspace: {
    en: 'This workspace is sending more requests than I take per minute. Try again in a minute.',
    zh: '本工作区的请求过多，请一分钟后再试。',
  },
};

/** Why a request may not run: answered with a private reply, or dropped without a word. */
type GuardVerdict = { kind: 'refuse'; reply: Reply } | { kind: 'drop'; reason: 'rate_limited' };

/** A check run before each job: a verdict when the request may not run, else undefined. */
export type RequestGuard = (message: InboundMessage) => Promise<GuardVerdict | undefined>;

/** How long after a "slow down" notice further requests over the limit are dropped without one. */
const noticeWindowSeconds = 60;

/** Create the guard: allow-lists first, then per-user and per-workspace token buckets in the store. */
export function createRequestGuard(store: StateStore, limits: RequestLimits): RequestGuard {
  /** One notice per person and limit each window; the rest are dropped, so a flood gets one answer. */
  const overLimit = async (limit: 'user' | 'workspace', key: string, message: InboundMessage) => {
    const first = await store.markSeen(
      `rate-notice:${limit}:${key}:${message.author.id}`,
      noticeWindowSeconds,
    );
    if (!first) return { kind: 'drop', reason: 'rate_limited' } as const;
    const reply = { markdown: tooFast[limit][detectLanguage(message.text)], private: true };
    return { kind: 'refuse', reply } as const;
  };
  const allowed = (list: string[], value: string) => list.length === 0 || list.includes(value);
  return async (message) => {
    const language = detectLanguage(message.text);
    const { conversation, author } = message;
    const channelAllowed = conversation.kind === 'dm' || allowed(limits.allowChannels, conversation.channel);
    if (
      !allowed(limits.allowWorkspaces, conversation.workspace) ||
      !channelAllowed ||
      !allowed(limits.allowUsers, author.id)
    ) {
      return { kind: 'refuse', reply: { markdown: notAllowed[language], private: true } };
    }
    const workspaceKey = `${conversation.platform}:${conversation.workspace}`;
    if (limits.userPerMinute > 0) {
      const capacity = limits.userPerMinute;
      if (!(await store.takeToken(`rate:user:${workspaceKey}:${author.id}`, capacity, capacity / 60))) {
        return overLimit('user', workspaceKey, message);
      }
    }
    if (limits.workspacePerMinute > 0) {
      const capacity = limits.workspacePerMinute;
      if (!(await store.takeToken(`rate:workspace:${workspaceKey}`, capacity, capacity / 60))) {
        return overLimit('workspace', workspaceKey, message);
      }
    }
    return undefined;
  };
}
