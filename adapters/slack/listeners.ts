import type {
  App,
  AssistantConfig,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { EnqueueOutcome, JobQueue } from '../../src/core/job-queue';
import { detectLanguage } from '../../src/text/language';
import { Assistant } from './bolt';
import type { SlackContext } from './context';
import {
  isDirectChannel,
  isEditedMessage,
  isPersonMessage,
  normalizeAction,
  normalizeCommand,
  normalizeFileDeleted,
  normalizeMessageEvent,
  type SlackBlockActionsPayload,
  type SlackCommandPayload,
  type SlackFileDeletedEvent,
  type SlackMessageEvent,
  slackSystemUser,
} from './normalize';
import { actionIdPrefix } from './render';
import {
  suggestedPrompts,
  suggestedPromptsWhileViewing,
  unavailableText,
  workingText,
  workingTextInDirectMessage,
} from './wording';

/** What the listeners need. */
interface ListenerOptions {
  /** The adapter's shared parts. */
  context: SlackContext;
  /** Where messages go. */
  queue: JobQueue;
  /** The slash command that takes a command word first (`deskmate`). */
  umbrellaCommand: string;
}

/** The envelope fields of an Events API delivery. */
interface Envelope {
  event_id?: string;
  team_id?: string;
  authorizations?: Array<{ user_id?: string }>;
}

/** What a handler of `app_mention` and `message` events reads. */
type EventArgs = SlackEventMiddlewareArgs<'app_mention' | 'message'> & {
  context: { retryNum?: number };
};

/** Bolt's store of assistant thread contexts. */
type AssistantThreadContextStore = NonNullable<AssistantConfig['threadContextStore']>;
/** The context of an assistant thread (the channel the user was viewing). */
type AssistantThreadContext = Awaited<ReturnType<AssistantThreadContextStore['get']>>;

const assistantThreadTtlSeconds = 30 * 24 * 60 * 60;

/** Commands answered at once, without a model: their acknowledgement says nothing (the answer follows). */
const instantCommands = new Set(['help', '帮助']);

/** Where an assistant thread's context (the channel the user was viewing) is kept. */
function assistantThreadKey(channel: string, threadTs: string): string {
  return `slack:assistant-thread:${channel}:${threadTs}`;
}

interface AssistantThreadRecord {
  context: AssistantThreadContext;
}

/** Bolt's assistant thread context, kept in Deskmate's state store (Bolt's default rewrites bot messages). */
function threadContextStore(context: SlackContext): AssistantThreadContextStore {
  const place = (payload: Record<string, unknown>) => {
    const thread = payload.assistant_thread as { channel_id?: string; thread_ts?: string } | undefined;
    const channel = thread?.channel_id ?? (payload.channel as string | undefined) ?? '';
    const threadTs = thread?.thread_ts ?? (payload.thread_ts as string | undefined) ?? '';
    return assistantThreadKey(channel, threadTs);
  };
  return {
    async get(args) {
      const record = await context.store.getJson<AssistantThreadRecord>(
        place(args.payload as unknown as Record<string, unknown>),
      );
      return record?.context ?? {};
    },
    async save(args) {
      const payload = args.payload as unknown as Record<string, unknown>;
      const thread = payload.assistant_thread as { context?: AssistantThreadContext } | undefined;
      await context.store.setJson(
        place(payload),
        { context: thread?.context ?? {} },
        assistantThreadTtlSeconds,
      );
    },
  };
}

/**
 * Register Deskmate's listeners on the Bolt app. Each one only normalizes and enqueues (the ack waits for
 * it) and calls no Slack API before the acknowledgement: suggested prompts go after it, status and title
 * where the job runs. Bots, including Deskmate itself, are never answered.
 */
export function registerListeners(app: App, options: ListenerOptions): void {
  const { context, queue } = options;
  const logger = context.logger;
  const botUserIdOf = (envelope: Envelope) =>
    context.identity()?.botUserId ?? envelope.authorizations?.[0]?.user_id ?? undefined;

  const accept = async (
    message: InboundMessage,
    kind: string,
    retryNum?: number,
  ): Promise<EnqueueOutcome> => {
    const outcome = await queue.enqueue(message);
    logger.info(
      { eventId: message.eventId, messageId: message.messageId, via: message.via, kind, outcome, retryNum },
      'slack event queued',
    );
    return outcome;
  };
  /** A cosmetic call made after the acknowledgement went out (the next turn of the event loop), never before. */
  const afterAck = (what: string, work: () => Promise<unknown>) => {
    setImmediate(() => {
      work().catch((error: unknown) => logger.warn({ err: error, what }, 'slack background call failed'));
    });
  };
  const store = threadContextStore(context);

  app.error(async (error) => {
    // Rethrown so the receiver answers 503 (or leaves the envelope unacknowledged) and Slack retries.
    throw error;
  });

  app.assistant(
    new Assistant({
      threadContextStore: store,
      threadStarted: async (args) => {
        const thread = args.event.assistant_thread;
        await store.save(args);
        const viewing = thread.context?.channel_id && !isDirectChannel(thread.context.channel_id);
        const prompts = viewing ? suggestedPromptsWhileViewing : suggestedPrompts;
        afterAck('assistant.threads.setSuggestedPrompts', () =>
          context.api.call(
            'assistant.threads.setSuggestedPrompts',
            { channel_id: thread.channel_id, thread_ts: thread.thread_ts, ...prompts },
            { idempotent: true },
          ),
        );
      },
      threadContextChanged: async (args) => {
        await store.save(args);
      },
      userMessage: async (args) => {
        const event = args.message as unknown as SlackMessageEvent;
        if (!isPersonMessage(event) || !event.thread_ts) return;
        const envelope = args.body as Envelope;
        const key = assistantThreadKey(event.channel, event.thread_ts);
        const record = await context.store.getJson<AssistantThreadRecord>(key);
        const message = normalizeMessageEvent(context, event, {
          eventId: envelope.event_id,
          teamId: envelope.team_id,
          botUserId: botUserIdOf(envelope),
          via: record ? 'assistant' : 'dm',
          viewingChannel: record?.context.channel_id,
          ...(record
            ? {
                platformData: {
                  assistantThread: {
                    channelId: event.channel,
                    threadTs: event.thread_ts,
                    ...(record.context.channel_id ? { contextChannelId: record.context.channel_id } : {}),
                  },
                },
              }
            : {}),
        });
        // Status and title are set where the job runs (the platform's prepareMessage): nothing here calls Slack.
        await accept(message, 'assistant', args.context.retryNum);
      },
    }),
  );

  const onMention = async ({ event, body, context: boltContext }: EventArgs) => {
    const mention = event as unknown as SlackMessageEvent;
    if (mention.bot_id || !mention.user || mention.user === slackSystemUser) return;
    const envelope = body as Envelope;
    if (isEditedMessage(mention)) {
      logger.info(
        { eventId: envelope.event_id, channel: mention.channel, ts: mention.ts },
        'slack edit ignored',
      );
      return;
    }
    const message = normalizeMessageEvent(context, mention, {
      eventId: envelope.event_id,
      teamId: envelope.team_id,
      botUserId: botUserIdOf(envelope),
      via: 'mention',
    });
    await accept(message, 'app_mention', boltContext.retryNum);
  };

  const onMessage = async ({ event, body, context: boltContext }: EventArgs) => {
    const posted = event as unknown as SlackMessageEvent;
    if (!isPersonMessage(posted)) return;
    const envelope = body as Envelope;
    const botUserId = botUserIdOf(envelope);
    const direct = isDirectChannel(posted.channel, posted.channel_type);
    // In channels only a mention is for Deskmate (the same post's `app_mention` then dedupes with it).
    if (!direct && !(botUserId && (posted.text ?? '').includes(`<@${botUserId}`))) return;
    const message = normalizeMessageEvent(context, posted, {
      eventId: envelope.event_id,
      teamId: envelope.team_id,
      botUserId,
      via: direct ? 'dm' : 'mention',
    });
    await accept(message, direct ? 'message.im' : 'message', boltContext.retryNum);
  };

  const onFileDeleted = async ({ event, body, context: boltContext }: EventArgs) => {
    const envelope = body as Envelope;
    const message = normalizeFileDeleted(
      event as unknown as SlackFileDeletedEvent,
      { eventId: envelope.event_id, teamId: envelope.team_id },
      new Date(),
    );
    if (message) await accept(message, 'file_deleted', boltContext.retryNum);
  };

  const onCommand = async ({ command, ack }: SlackCommandMiddlewareArgs) => {
    const payload = command as unknown as SlackCommandPayload;
    const message = normalizeCommand(context, payload, {
      umbrellaCommand: options.umbrellaCommand,
      botUserId: context.identity()?.botUserId,
    });
    try {
      await accept(message, 'command');
    } catch (error) {
      // Slack does not retry slash commands: the person is told, privately, instead.
      logger.error({ err: error, eventId: message.eventId }, 'slash command not queued');
      await ack({ response_type: 'ephemeral', text: unavailableText[detectLanguage(message.text)] });
      return;
    }
    // Help is answered at once: nothing to say meanwhile. Otherwise the acknowledgement (no response_url use)
    // says the answer is coming, privately in a channel; in a direct message it may be answered in the open.
    if (instantCommands.has(message.command?.name ?? '')) {
      await ack();
      return;
    }
    const language = detectLanguage(message.text);
    const text =
      message.conversation.kind === 'dm' ? workingTextInDirectMessage[language] : workingText[language];
    await ack({ response_type: 'ephemeral', text });
  };

  const onAction = async ({ body, ack }: SlackActionMiddlewareArgs) => {
    const message = normalizeAction(context, body as unknown as SlackBlockActionsPayload);
    if (message) await accept(message, 'action');
    await ack();
  };

  // One middleware picks the handler by payload. Bolt runs every listener's middleware chain for every
  // delivery (about 10 µs each on the ack path); four `app.event`/`app.command`/`app.action` listeners cost
  // three times what this does. Anything else (and what the Assistant above did not take) goes on to Bolt.
  app.use(async (args) => {
    const body = args.body as { type?: string; command?: unknown; event?: { type?: string } };
    if (body.type === 'event_callback') {
      if (body.event?.type === 'app_mention') return onMention(args as unknown as EventArgs);
      if (body.event?.type === 'message') return onMessage(args as unknown as EventArgs);
      if (body.event?.type === 'file_deleted') return onFileDeleted(args as unknown as EventArgs);
    } else if (typeof body.command === 'string' && body.command.startsWith('/')) {
      return onCommand(args as unknown as SlackCommandMiddlewareArgs);
    } else if (body.type === 'block_actions') {
      const action = args.payload as { action_id?: string };
      if (action.action_id?.startsWith(actionIdPrefix)) {
        return onAction(args as unknown as SlackActionMiddlewareArgs);
      }
    }
    await args.next();
  });
}
