import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Adapter } from '../../src/core/adapter';
import type { ChatPlatform, PostedMessageRef } from '../../src/core/chat-platform';
import type { ConversationRef } from '../../src/core/conversation';
import type { HistoryMessage } from '../../src/core/history-message';
import type { InboundMessage } from '../../src/core/inbound-message';
import type { JobQueue } from '../../src/core/job-queue';
import type { Logger } from '../../src/core/logger';
import type { Reply, ReplyButton } from '../../src/core/reply';
import { detectLanguage, type Language } from '../../src/text/language';
import { readClick } from './click';
import { createFileSaver } from './files';
import { createLocalFiles, localFilesIn } from './local-files';
import { plainText, renderForConsole } from './render';

/** Options for the console assistant. */
export interface ConsoleAdapterOptions {
  /** Where lines come from. */
  input: NodeJS.ReadableStream;
  /** Where replies go. */
  output: NodeJS.WritableStream;
  /** The job queue (the same one the chat platforms use). */
  queue: JobQueue;
  /** Logger. */
  logger: Logger;
  /** Show a prompt (a terminal), or just read lines until EOF (piped input). */
  interactive: boolean;
  /** The user's name. */
  userName?: string;
  /**
   * Whether a line is a command to Deskmate (`todo add …`): such lines, like Deskmate's answers, are not part
   * of the conversation a summary of the console reads.
   */
  isCommand?: (line: string) => boolean;
  /**
   * The folder `npm start` was typed in (default INIT_CWD, else the working directory): files replies carry
   * (`.ics` invites) are saved there, and local paths in a line (`summarize ./report.pdf`) are read from it.
   */
  saveDirectory?: string;
  /**
   * What to say when a message cannot be queued (e.g. Redis at REDIS_URL is down), in English and Chinese:
   * the console then prints it, stops reading and ends `failed`.
   */
  unavailableHint?: { en: string; zh: string };
  /** Called after the input ended and every reply was printed (`failed`: a message could not be queued). */
  onEnd?: (outcome: ConsoleOutcome) => void;
}

/** How a console session ended: its input ran out, or a message could not be queued. */
export type ConsoleOutcome = 'ended' | 'failed';

const notQueued = {
  en: 'Deskmate could not take that message: its queue is unavailable.',
  zh: 'Deskmate 无法接收这条消息：队列不可用。',
};

const conversation: ConversationRef = {
  platform: 'console',
  workspace: 'local',
  channel: 'console',
  kind: 'dm',
};

/** Create the console adapter: a local assistant on stdin/stdout through the real queue, router and skills. */
export function createConsoleAdapter(options: ConsoleAdapterOptions): Adapter {
  const transcript: HistoryMessage[] = [];
  let lastButtons: ReplyButton[] = [];
  let lastCardLanguage: Language = 'en';
  const remember = (reply: Reply) => {
    if (!reply.buttons) return;
    lastButtons = reply.buttons;
    lastCardLanguage = detectLanguage(reply.markdown);
  };
  let counter = 0;
  let started = false;
  const write = (text: string) => options.output.write(text);
  const author = { id: 'console-user', name: options.userName ?? 'you' };

  const directory = options.saveDirectory ?? process.env.INIT_CWD ?? process.cwd();
  const files = createFileSaver(directory);
  /** A reply as the terminal shows it, with where its file (an invite) was saved. */
  const rendered = (reply: Reply): string => {
    const text = renderForConsole(reply);
    return reply.file ? `${text}\n${files.save(reply.file, detectLanguage(reply.markdown))}` : text;
  };

  const print = (text: string, id: string) => {
    write(`${text}\n\n`);
    transcript.push({
      id,
      author: { id: 'deskmate', name: 'Deskmate' },
      text,
      at: new Date().toISOString(),
      isBot: true,
    });
  };

  const platform: ChatPlatform = {
    name: 'console',
    async history(_conversation, query) {
      const after = query.afterId ? transcript.findIndex((message) => message.id === query.afterId) + 1 : 0;
      const since = query.since ? Date.parse(query.since) : 0;
      const selected = transcript.slice(after).filter((message) => Date.parse(message.at) >= since);
      return { messages: selected.slice(-query.limit), truncated: selected.length > query.limit };
    },
    async isMember() {
      return true;
    },
    // The console has one reader: the operator at the terminal.
    async audience() {
      return { openTo: 'members', external: false };
    },
    async post(_conversation, reply): Promise<PostedMessageRef> {
      const id = `reply-${++counter}`;
      remember(reply);
      print(rendered(reply), id);
      return { id, channel: conversation.channel };
    },
    async update(_conversation, message, reply) {
      remember(reply);
      print(rendered(reply), message.id);
    },
    async stream() {
      const id = `reply-${++counter}`;
      // Streamed text is shown a whole line at a time, made plain like the final reply.
      let received = '';
      let shown = '';
      return {
        async append(markdown) {
          received += markdown;
          const complete = received.slice(0, received.lastIndexOf('\n') + 1);
          const plain = plainText(complete);
          if (plain.length > shown.length && plain.startsWith(shown)) {
            write(plain.slice(shown.length));
            shown = plain;
          }
        },
        async finish(reply) {
          const text = rendered(reply);
          // What streamed is already on screen; print only what the final form adds.
          write(text.startsWith(shown) ? `${text.slice(shown.length)}\n\n` : `\n${text}\n\n`);
          transcript.push({
            id,
            author: { id: 'deskmate' },
            text,
            at: new Date().toISOString(),
            isBot: true,
          });
          return { id, channel: conversation.channel };
        },
      };
    },
    files: createLocalFiles(),
  };

  const toMessage = (line: string, button?: ReplyButton): InboundMessage => {
    const id = `console-${Date.now()}-${++counter}-${randomUUID().slice(0, 8)}`;
    const base = { eventId: id, messageId: id, conversation, author, receivedAt: new Date().toISOString() };
    if (button) {
      // As on the chat platforms, a click's text is the button's label (its language is the card's).
      return {
        ...base,
        text: button.label,
        via: 'action',
        action: { skill: button.skill, action: button.action, value: button.value },
      };
    }
    if (!options.isCommand?.(line))
      transcript.push({ id, author, text: line, at: base.receivedAt, isBot: false });
    // Local files the line names (`summarize ./report.pdf`) are read when a skill asks, as shared files.
    const shared = localFilesIn(line, directory, conversation);
    return { ...base, text: line, via: 'dm', ...(shared.length > 0 ? { files: shared } : {}) };
  };

  return {
    platform,
    routes: [],
    ready: () => started,
    async start() {
      started = true;
      const lines = createInterface({ input: options.input, terminal: false });
      // A reader that went away (`npm start | head`) ends the session instead of crashing the process.
      options.output.on('error', () => lines.close());
      const prompt = () => {
        if (options.interactive) write('you> ');
      };
      if (options.interactive) write('Deskmate console. Type `help`, or Ctrl-D to quit.\n');
      prompt();
      // Lines are handled one at a time so replies print in the order they were asked.
      let chain = Promise.resolve();
      let outcome: ConsoleOutcome = 'ended';
      lines.on('line', (line) => {
        if (line.trim() === '') return prompt();
        chain = chain.then(async () => {
          if (outcome === 'failed') return;
          // A click is the console's own: one that names no button is answered here, never sent on.
          const click = readClick(line, lastButtons, lastCardLanguage);
          if (click && 'answer' in click) {
            write(`${click.answer}\n\n`);
            return prompt();
          }
          try {
            await options.queue.enqueue(toMessage(line, click?.button));
            await options.queue.drain();
          } catch (error) {
            // Said on screen, where the person is looking; the rest of the input is not read.
            outcome = 'failed';
            const language = detectLanguage(line);
            const hint = options.unavailableHint?.[language];
            write(`${notQueued[language]}${hint ? `\n${hint}` : ''}\n`);
            options.logger.info(
              { code: 'unavailable', reason: error instanceof Error ? error.message : String(error) },
              'console message could not be queued',
            );
            lines.close();
            return;
          }
          prompt();
        });
      });
      lines.on('close', () => {
        chain.then(() => options.onEnd?.(outcome));
      });
    },
    async stop() {
      started = false;
    },
  };
}
