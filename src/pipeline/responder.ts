import type { ChatPlatform, PostedMessageRef, ReplyStream } from '../core/chat-platform';
import type { InboundMessage } from '../core/inbound-message';
import type { Reply } from '../core/reply';
import type { Responder } from '../core/skill';
import type { StateStore } from '../core/state-store';
import { detectLanguage, type Language } from '../text/language';
import { neutralizeMassMentions, settledText } from '../text/sanitize';

function language(message: InboundMessage): Language {
  return detectLanguage(message.text);
}

/** How long the posted-message record of a job is kept (covers retries and restarts). */
const postedTtlSeconds = 24 * 60 * 60;

/** Options for a job's responder. */
interface ResponderOptions {
  /** The platform to answer on. */
  platform: ChatPlatform;
  /** Where the posted message of the job is remembered. */
  store: StateStore;
  /** The message being answered. */
  message: InboundMessage;
  /** The job id: the key of the posted-message record and the idempotency key of the post. */
  jobId: string;
  /** A line put under every answer of the job (not under progress notes), e.g. what it could not read. */
  footnote?: string;
}

/** The responder of one job, with what only the worker uses. */
interface JobResponder extends Responder {
  /** The message this job posted, if any. */
  posted(): Promise<PostedMessageRef | undefined>;
  /** From now on every answer goes privately to the requester, with this notice saying why. */
  keepPrivate(notice: string): void;
  /** Add a line under every later answer of the job (not under progress notes). */
  addFootnote(footnote: string): void;
}

const sentPrivately = {
  en: 'I sent you the answer privately.',
  zh: '我已私下把回答发给你。',
};

/**
 * Create the responder of one job. The first answer posts a message and remembers its ref under the job
 * id; any later answer of the same job (a progress placeholder replaced, a retried or restarted job)
 * updates that message instead of posting a second one.
 */
export function createResponder(options: ResponderOptions): JobResponder {
  const { platform, store, message, jobId } = options;
  const key = `posted:${jobId}`;
  const conversation = message.conversation;
  const postOptions = { idempotencyKey: jobId, platformData: message.platformData };

  const intentKey = `posting:${jobId}`;
  const posted = () => store.getJson<PostedMessageRef>(key);
  const remember = (ref: PostedMessageRef) => store.setJson(key, ref, postedTtlSeconds);
  /** The message an earlier run posted but did not live to record (platforms without idempotent posts). */
  const postedBeforeCrash = async (): Promise<PostedMessageRef | undefined> => {
    if (!platform.findPosted || !(await store.getJson<boolean>(intentKey))) return undefined;
    const found = await platform.findPosted(conversation, jobId);
    if (found) await remember(found);
    return found;
  };

  // Set when the job read a conversation with fewer readers than this one: answers go to the requester only.
  let privateNotice: string | undefined;
  /** Whether every answer goes only to the asker (kept private here, or private by the platform's convention). */
  const answersPrivately = () => Boolean(privateNotice) || message.answerPrivately === true;
  /** Private answers sent by this run so far. */
  let privateAnswers = 0;

  // A platform stream that has started but not finished: a later send() finishes it (e.g. the worker's
  // apology after the model failed mid-answer), keeping the text already shown.
  let openStream: { stream: ReplyStream; text: string } | undefined;

  const send = async (reply: Reply): Promise<PostedMessageRef> => {
    if (openStream) {
      const { stream, text } = openStream;
      openStream = undefined;
      const markdown = neutralizeMassMentions(
        text.length > 0 ? `${text}\n\n${reply.markdown}` : reply.markdown,
      );
      const ref = await stream.finish({ ...reply, markdown });
      await remember(ref);
      return ref;
    }
    // Answers to a slash command (or a click on a private card) are private by convention: no notice.
    if (message.answerPrivately && !reply.private) return send({ ...reply, private: true });
    if (privateNotice && !reply.private) {
      const notice = privateNotice;
      const footnote = reply.footnote ? `${reply.footnote} · ${notice}` : notice;
      // A placeholder already shown here says where the answer went, instead of hanging on.
      const placeholder = await posted();
      if (placeholder) {
        await platform.update(conversation, placeholder, { markdown: sentPrivately[language(message)] });
      }
      return send({ ...reply, footnote, private: true });
    }
    if (reply.private) {
      // A private answer cannot be updated (Slack's ephemeral messages): a job that runs again (a retry, a
      // restart) skips the private answers its earlier run already sent, counted in order.
      privateAnswers += 1;
      const key = `private-posted:${jobId}:${privateAnswers}`;
      const sent = await store.getJson<PostedMessageRef>(key);
      if (sent) return sent;
      const ref = await platform.post(conversation, reply, { ...postOptions, privateTo: message.author.id });
      await store.setJson(key, ref, postedTtlSeconds);
      return ref;
    }
    const existing = (await posted()) ?? (await postedBeforeCrash());
    if (existing) {
      await platform.update(conversation, existing, reply);
      return existing;
    }
    // Where posts are not idempotent, say a post is under way: if the process dies before the ref is
    // recorded, the next run looks for the message instead of posting a second one.
    if (platform.findPosted) await store.setJson(intentKey, true, postedTtlSeconds);
    const ref = await platform.post(conversation, reply, postOptions);
    await remember(ref);
    return ref;
  };

  const footnotes = options.footnote ? [options.footnote] : [];
  const noted = (reply: Reply): Reply =>
    footnotes.length > 0
      ? { ...reply, footnote: [...(reply.footnote ? [reply.footnote] : []), ...footnotes].join(' · ') }
      : reply;

  return {
    posted,
    send: (reply) => send(noted(reply)),
    keepPrivate(notice) {
      privateNotice = notice;
    },
    addFootnote(footnote) {
      footnotes.push(footnote);
    },
    async progress(status) {
      if (platform.setStatus && message.via === 'assistant') {
        await platform.setStatus(conversation, status);
        return;
      }
      // A private answer has no placeholder to replace: progress would be a second private message.
      if (answersPrivately()) return;
      await send({ markdown: `_${status}_` });
    },
    async stream(): Promise<ReplyStream> {
      const existing = await posted();
      // A private answer cannot be edited as it grows (Slack's ephemeral messages): it is sent once, complete.
      if (platform.stream && !existing && !answersPrivately()) {
        const stream = await platform.stream(conversation, postOptions);
        // `text` is what the model wrote; `shown` what was appended: the settled part, mentions neutralized.
        const state = { stream, text: '' };
        let shown = '';
        openStream = state;
        return {
          async append(markdown) {
            state.text += markdown;
            const settled = settledText(state.text);
            if (settled.length <= shown.length || !settled.startsWith(shown)) return;
            const piece = settled.slice(shown.length);
            shown = settled;
            await stream.append(piece);
          },
          async finish(reply) {
            if (openStream === state) openStream = undefined;
            const ref = await stream.finish({
              ...noted(reply),
              markdown: neutralizeMassMentions(reply.markdown),
            });
            await remember(ref);
            return ref;
          },
        };
      }
      // No streaming here (or a retried job): collect the text and answer once.
      return {
        async append() {},
        finish: (reply) => send(noted(reply)),
      };
    },
  };
}
