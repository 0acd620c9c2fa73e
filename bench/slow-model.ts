/** A fake model for benchmarks: answers after a known time to first token, then one token per interval. */
import type { LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from '../src/core/llm-provider';

/** Timing of the fake model. */
export interface SlowModelTiming {
  firstTokenMs: number;
  tokenIntervalMs: number;
  tokens: number;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A streaming fake model with fixed timing; records when each answer's first token was emitted. */
export class SlowStreamingModel implements LlmProvider {
  readonly name = 'slow-fake';
  readonly configured = true;
  /** performance.now() of each answer's first token. */
  readonly firstTokenTimes: number[] = [];

  constructor(private readonly timing: SlowModelTiming) {}

  private result(text: string): LlmResult {
    return {
      text,
      toolCalls: [],
      stopReason: 'end_turn',
      truncated: false,
      usage: { inputTokens: 100, outputTokens: this.timing.tokens },
      model: this.name,
      latencyMs: this.timing.firstTokenMs,
    };
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    await sleep(this.timing.firstTokenMs);
    const numbers = [...String(request.messages.at(-1)?.content ?? '').matchAll(/^(\d+) /gm)].slice(0, 2);
    return this.result(`Summary of the part ${numbers.map((match) => `[${match[1]}]`).join('')}.`);
  }

  async *stream(request: LlmRequest): AsyncIterable<LlmStreamEvent> {
    await sleep(this.timing.firstTokenMs);
    if (request.signal?.aborted) return;
    let text = '';
    for (let index = 0; index < this.timing.tokens; index += 1) {
      const token = index === 0 ? '**TL;DR** ' : `word${index} `;
      if (index === 0) this.firstTokenTimes.push(performance.now());
      text += token;
      yield { type: 'text', text: token };
      await sleep(this.timing.tokenIntervalMs);
    }
    yield { type: 'done', result: this.result(text) };
  }
}
