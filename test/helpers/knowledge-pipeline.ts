import type { ConversationRef } from '../../src/core/conversation';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { LlmRequest } from '../../src/core/llm-provider';
import type { SharedFile } from '../../src/core/shared-file';
import { readFolderSyncProgress } from '../../src/knowledge/folder-sync-record';
import type { TestEmbedder } from '../../src/llm/test-embedder';
import { createMemoryStateStore } from '../../src/state/memory-state-store';
import type { MemoryKnowledgeIndex } from '../fakes/memory-knowledge-index';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from './messages';
import { startTestPipeline } from './pipeline';

// Conversations, files and a pipeline for the knowledge skills' tests (test/skills/knowledge*.test.ts).

export const workspace = 'T1';
export const privateChannel: ConversationRef = {
  platform: 'slack',
  workspace,
  channel: 'CPRIV',
  kind: 'group',
};
export const otherChannel: ConversationRef = { platform: 'slack', workspace, channel: 'CGEN', kind: 'group' };
export const aliceDm: ConversationRef = { platform: 'slack', workspace, channel: 'DALICE', kind: 'dm' };
export const bobDm: ConversationRef = { platform: 'slack', workspace, channel: 'DBOB', kind: 'dm' };

export const secret = 'The travel budget per trip is 4711 euros, approved by the finance lead.';
export const travelPolicy = Buffer.from(
  `# Travel\n\n${secret}\n\n# Meals\n\nMeals are covered up to 60 euros a day.`,
);
export const chinesePolicy = Buffer.from(
  '# 报销\n\n差旅报销需要在出差结束后十个工作日内提交，由部门经理审批。',
);

/** A platform whose members are per channel, with files served by id. */
export class KnowledgePlatform extends RecordingPlatform {
  readonly channelMembers = new Map<string, Set<string>>();
  readonly reads: string[] = [];
  constructor(files: Record<string, Buffer>) {
    super('slack');
    this.files = {
      read: async (file) => {
        this.reads.push(file.id);
        return { bytes: files[file.id], name: file.name, link: `https://files.example/${file.id}` };
      },
    };
  }
  override async isMember(conversation: ConversationRef, userId: string) {
    this.memberCalls.push({ conversation, userId });
    if (conversation.kind === 'dm') return conversation.channel === `D${userId.toUpperCase()}`;
    return this.channelMembers.get(conversation.channel)?.has(userId) ?? false;
  }
}

export function sharedFile(id: string, name: string, conversation: ConversationRef): SharedFile {
  return { id, name, conversation, link: `https://files.example/${id}` };
}

/** A model that answers knowledge questions from its first excerpt, citing [1]; routing picks nothing. */
export function citingModel(
  answer = (request: LlmRequest) => `The answer is in the policy [1].${request ? '' : ''}`,
) {
  return new ScriptedLlm([], (request) => ({ text: answer(request) }));
}

/** The text of every request the model received. */
export function modelSaw(llm: ScriptedLlm): string {
  return JSON.stringify(llm.requests.map((request) => [request.system, request.messages]));
}

export async function run(
  platform: KnowledgePlatform,
  index: MemoryKnowledgeIndex,
  llm: ScriptedLlm | undefined,
  messages: InboundMessage[],
  store = createMemoryStateStore(),
  embed?: TestEmbedder,
) {
  const pipeline = await startTestPipeline({
    platforms: { slack: platform },
    llm,
    store,
    knowledge: { index, ...(embed ? { embed } : {}), folderProgress: () => readFolderSyncProgress(store) },
  });
  for (const message of messages) {
    await pipeline.queue.enqueue(message);
    await pipeline.drain();
  }
  await pipeline.stop();
  return store;
}

export function say(
  text: string,
  conversation: ConversationRef,
  user: string,
  extra: Partial<InboundMessage> = {},
) {
  return inboundMessage(text, { conversation, author: { id: user, name: user }, ...extra });
}
