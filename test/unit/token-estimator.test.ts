import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// Reference counts: OpenAI's cl100k_base BPE (GPT-4 family), computed by gpt-tokenizer, a pure-JS port that
// ships the encoding's ranks in the package. cl100k spends ~1.15 tokens per Chinese character, close to
// Claude's tokenizer; o200k spends ~0.8. The estimator aims at the former, so budgets err on the safe side.
import { encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTokens } from '../../src/llm/token-estimator';

const sample = (name: string) => readFileSync(join(__dirname, '../fixtures/text', `${name}.txt`), 'utf8');

describe('token estimator', () => {
  test.each(['english-sample', 'chinese-sample', 'mixed-sample'])(
    '%s is within ±15%% of cl100k_base',
    (name) => {
      const text = sample(name);
      const reference = encode(text).length;
      const estimate = estimateTokens(text);
      expect(Math.abs(estimate - reference) / reference).toBeLessThanOrEqual(0.15);
    },
  );

  test('Chinese is about one token per character, where chars/4 would be four times too low', () => {
    const text = sample('chinese-sample');
    const reference = encode(text).length;
    expect(Math.abs(text.length / 4 - reference) / reference).toBeGreaterThan(0.5);
    expect(estimateTokens(text)).toBeGreaterThan(text.length * 0.9);
  });

  test('empty text is zero tokens and any text at least one', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('.')).toBe(1);
  });
});
