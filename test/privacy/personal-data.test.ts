import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlmRequest } from '../../src/core/llm-provider';
import { createLogger } from '../../src/logger';
import { withPersonalDataMasking } from '../../src/privacy/masking-provider';
import { findPersonalData } from '../../src/privacy/personal-data';
import { ScriptedLlm } from '../fakes/scripted-llm';

const corpus = join(__dirname, '..', 'fixtures', 'personal-data');
const planted = JSON.parse(readFileSync(join(corpus, 'planted.json'), 'utf8')) as Array<{
  text: string;
  items: Array<[string, string]>;
}>;
const clean = JSON.parse(readFileSync(join(corpus, 'clean.json'), 'utf8')) as string[];

describe('personal data found in the corpus', () => {
  test.each(planted.map((entry) => [entry.text.slice(0, 40), entry]))(
    'every planted item: %s…',
    (_name, entry) => {
      const found = findPersonalData(entry.text).map((finding) => [finding.kind, finding.value]);
      for (const item of entry.items) expect(found).toContainEqual(item);
    },
  );

  test('messages without personal data are left alone (at most one false positive in the clean corpus)', () => {
    const falsePositives = clean.flatMap((text) =>
      findPersonalData(text).map((finding) => `${finding.kind}: ${finding.value}`),
    );
    expect(falsePositives.length).toBeLessThanOrEqual(1);
  });
});

describe('the masking provider', () => {
  const logger = createLogger({ level: 'silent' });
  const sentText = (request: LlmRequest) => JSON.stringify([request.system, request.messages]);

  test('nothing planted reaches the model; the answer gets the values back, secrets excepted', async () => {
    const model = new ScriptedLlm([], (request) => {
      const text = sentText(request);
      const email = /<EMAIL_\d+>/.exec(text)?.[0];
      const secret = /<SECRET_\d+>/.exec(text)?.[0];
      return {
        text: `Write to ${email}; never share ${secret}.`,
        toolCalls: [{ id: 't', name: 'record_todos', input: { items: [{ owner: email }] } }],
      };
    });
    const provider = withPersonalDataMasking(model, logger);
    const everything = planted.map((entry) => entry.text).join('\n');
    const result = await provider.complete({
      system: 'Summarize.',
      messages: [{ role: 'user', content: everything }],
    });
    const sent = sentText(model.requests[0]);
    for (const entry of planted) for (const [, value] of entry.items) expect(sent).not.toContain(value);
    expect(result.text).toBe('Write to li.wei@acme-corp.com.cn; never share <SECRET_1>.');
    expect(result.toolCalls[0].input).toEqual({ items: [{ owner: 'li.wei@acme-corp.com.cn' }] });
  });

  test('a placeholder split across streamed pieces is shown whole, with its value', async () => {
    const model = {
      name: 'pieces',
      configured: true,
      complete: async () => {
        throw new Error('not used');
      },
      async *stream() {
        const pieces = ['Mail <EMA', 'IL_1> or call <PHON', 'E_1', '> today.'];
        for (const text of pieces) yield { type: 'text' as const, text };
        const usage = { inputTokens: 1, outputTokens: 1 };
        const result = {
          text: pieces.join(''),
          toolCalls: [],
          stopReason: 'end_turn' as const,
          truncated: false,
          usage,
        };
        yield { type: 'done' as const, result: { ...result, model: 'm', latencyMs: 1 } };
      },
    };
    const provider = withPersonalDataMasking(model, logger);
    const shown: string[] = [];
    let final = '';
    for await (const event of provider.stream({
      messages: [{ role: 'user', content: 'a@b.co or 13912345678' }],
    })) {
      if (event.type === 'text') shown.push(event.text);
      else final = event.result.text;
    }
    expect(shown.join('')).toBe('Mail a@b.co or call 13912345678 today.');
    for (const piece of shown) expect(piece).not.toMatch(/<[A-Z]/);
    expect(final).toBe('Mail a@b.co or call 13912345678 today.');
  });
});
