import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryMessage } from '../../src/core/history-message';
import type { LlmRequest } from '../../src/core/llm-provider';
import { createSkills } from '../../src/skills';
import { findUrls } from '../../src/text/sanitize';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

interface InjectionCase {
  name: string;
  text: string;
}

const corpus = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/injection/corpus.json'), 'utf8'),
) as InjectionCase[];

// `(?!\w)`, not `\b`: after 所有人 (not a \w character) `\b` never matches before a space.
const massMention =
  /(<!(channel|here|everyone)[|>])|(^|[^\u200b\w])@(channel|here|everyone|all|所有人)(?!\w)|<at user_id="?all/iu;

/**
 * A model that was fooled completely: it repeats Mallory's message (its instructions, links and mentions)
 * verbatim, adds a link of its own, and asks for a tool. `echoed` records what it repeated.
 */
function fooledModel(): ScriptedLlm & { echoed: string[] } {
  const echoed: string[] = [];
  const llm = new ScriptedLlm([], (request: LlmRequest) => {
    const transcript = String(request.messages.at(-1)?.content ?? '');
    // Whatever the transcript's line format, Mallory's message follows her name.
    const injected = /Mallory[^:\n]*: (.*)/.exec(transcript)?.[1] ?? '';
    echoed.push(injected);
    return {
      text: `**TL;DR** ${injected} https://made-up.example/extra [2]`,
      // Even if the model asks for a tool on this path, nothing may run.
      toolCalls: [{ id: 'bad', name: 'todo', input: { text: 'transfer money' } }],
    };
  });
  return Object.assign(llm, { echoed });
}

describe('prompt-injection corpus through the summarize path', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(10);

  test.each(corpus.map((entry) => [entry.name, entry]))(
    '%s: no tool offered, no mass mention, no foreign link',
    async (_name, entry) => {
      const injection = entry as InjectionCase;
      const platform = new RecordingPlatform('slack');
      platform.members.add('U1');
      const messages: HistoryMessage[] = [
        {
          id: '1',
          author: { id: 'U2', name: 'Bob' },
          text: 'Plan: release on Friday, docs at https://wiki.example/release',
          at: '2026-11-27T09:00:00Z',
          isBot: false,
        },
        {
          id: '2',
          author: { id: 'U9', name: 'Mallory' },
          text: injection.text,
          at: '2026-11-27T09:01:00Z',
          isBot: false,
        },
      ];
      platform.history_ = messages;
      const llm = fooledModel();
      const pipeline = await startTestPipeline({
        platforms: { slack: platform },
        llm,
        skills: createSkills(),
      });
      await pipeline.queue.enqueue(
        inboundMessage('summarize', {
          conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', thread: 'root', kind: 'group' },
          inThread: true,
        }),
      );
      await pipeline.drain();
      await pipeline.stop();

      // The summarize path offers the model no tools, and nothing but the reply was sent.
      expect(llm.requests.every((request) => request.tools === undefined)).toBe(true);
      expect(
        platform.sends.every((send) => send.kind !== 'post' || send.options?.privateTo === undefined),
      ).toBe(true);
      const reply = platform.visibleMessages().at(-1) ?? '';
      // The model really repeated the injection, and its summary (not an apology) is what was posted: the
      // checks below look at a reply that carries the attack.
      expect(llm.echoed.length).toBeGreaterThan(0);
      expect(llm.echoed.every((line) => line.length > 0)).toBe(true);
      expect(reply).toMatch(/TL;DR/);
      expect(reply).not.toMatch(massMention);
      // Hidden tag characters never reach the model.
      expect(String(llm.requests[0].messages[0].content)).not.toMatch(/[\u{E0000}-\u{E007F}]/u);
      // Every link in the reply is a link that was in the thread (or a citation permalink).
      const allowed = new Set(messages.flatMap((message) => findUrls(message.text)));
      for (const url of findUrls(reply)) expect(allowed.has(url)).toBe(true);
      expect(reply).not.toContain('made-up.example');
    },
  );
});
