import { randomBytes } from 'node:crypto';
import type { ConversationRef } from '../core/conversation';
import type { InboundMessage } from '../core/inbound-message';
import { type Reply, type ReplyButton, textReply } from '../core/reply';
import type { SkillContext } from '../core/skill';
import type { StateStore } from '../core/state-store';
import { detectLanguage, type Language } from '../text/language';

/** Something the model proposed (todos, a meeting) that waits for the requester's click. */
export interface Proposal<Payload> {
  /** Short random id; the buttons carry it. */
  id: string;
  /** The skill that made it and handles its buttons. */
  skill: string;
  /** The user who asked; only they may confirm. */
  requestedBy: string;
  /** Where it was proposed. */
  conversation: ConversationRef;
  /** When (ISO 8601). */
  createdAt: string;
  /** Pending until the requester creates or cancels it. */
  status: 'pending' | 'created' | 'cancelled';
  /** What will be created. */
  payload: Payload;
}

/** Proposals wait a day for a click. */
const proposalTtlSeconds = 24 * 60 * 60;

function proposalKey(id: string): string {
  return `proposal:${id}`;
}

/** Save a new proposal for the message's author. */
export async function saveProposal<Payload>(
  store: StateStore,
  skill: string,
  message: InboundMessage,
  payload: Payload,
  now: Date,
): Promise<Proposal<Payload>> {
  const proposal: Proposal<Payload> = {
    id: randomBytes(8).toString('base64url'),
    skill,
    requestedBy: message.author.id,
    conversation: message.conversation,
    createdAt: now.toISOString(),
    status: 'pending',
    payload,
  };
  await store.setJson(proposalKey(proposal.id), proposal, proposalTtlSeconds);
  return proposal;
}

/** A proposal by id (undefined once expired). */
export function loadProposal<Payload>(store: StateStore, id: string): Promise<Proposal<Payload> | undefined> {
  return store.getJson<Proposal<Payload>>(proposalKey(id));
}

/** Record a proposal's new status (and payload). */
export async function updateProposal<Payload>(store: StateStore, proposal: Proposal<Payload>): Promise<void> {
  await store.setJson(proposalKey(proposal.id), proposal, proposalTtlSeconds);
}

const labels = {
  en: { create: 'Create', edit: 'Edit', cancel: 'Cancel' },
  zh: { create: '创建', edit: '修改', cancel: '取消' },
};

/** The Create / Edit / Cancel buttons of a confirmation card. */
export function confirmationButtons(skill: string, proposalId: string, language: Language): ReplyButton[] {
  const words = labels[language];
  return [
    { label: words.create, skill, action: 'create', value: proposalId, style: 'primary' },
    { label: words.edit, skill, action: 'edit', value: proposalId },
    { label: words.cancel, skill, action: 'cancel', value: proposalId, style: 'danger' },
  ];
}

const refusals = {
  en: {
    expired: 'That suggestion has expired. Ask me again.',
    onlyRequester: 'Only the person who asked can confirm this.',
    elsewhere: 'This button belongs to another conversation.',
  },
  zh: {
    expired: '这个建议已过期，请重新问我。',
    onlyRequester: '只有提出请求的人可以确认。',
    elsewhere: '这个按钮属于另一个会话。',
  },
};

function sameChannel(left: ConversationRef, right: ConversationRef): boolean {
  return (
    left.platform === right.platform && left.workspace === right.workspace && left.channel === right.channel
  );
}

/**
 * The proposal a button click is about, when the clicker may act on it; otherwise a private answer saying
 * why not (it expired, someone else asked for it, or the click comes from another conversation), in the
 * language of the proposal or of the button.
 */
export async function proposalForClick<Payload>(
  context: SkillContext,
  id: string,
  languageOf: (payload: Payload) => Language,
): Promise<{ proposal: Proposal<Payload> } | { refusal: Reply }> {
  const proposal = await loadProposal<Payload>(context.store, id);
  const language = proposal ? languageOf(proposal.payload) : detectLanguage(context.message.text);
  if (!proposal) return { refusal: textReply(refusals[language].expired, { private: true }) };
  if (proposal.requestedBy !== context.message.author.id) {
    return { refusal: textReply(refusals[language].onlyRequester, { private: true }) };
  }
  // The card's conversation is the one the proposal was made in; a click that claims another is refused.
  if (!sameChannel(proposal.conversation, context.message.conversation)) {
    return { refusal: textReply(refusals[language].elsewhere, { private: true }) };
  }
  return { proposal };
}
