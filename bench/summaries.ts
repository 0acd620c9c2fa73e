/**
 * Summary token efficiency: threads of 200, 2,000 and 10,000 messages (English and Chinese) through the real
 * summarize skill with a fake model that counts tokens and answers after a fixed latency. Reports tokens sent
 * / the thread's own tokens, model calls, wall time, and the cost of a re-summary after 20 new messages.
 */
import type { HistoryMessage } from '../src/core/history-message';
import type { LlmProvider, LlmRequest, LlmResult } from '../src/core/llm-provider';
import { estimateTokens } from '../src/llm/token-estimator';
import { createSkills } from '../src/skills';
import { RecordingPlatform } from '../test/fakes/recording-platform';
import { inboundMessage } from '../test/helpers/messages';
import { startTestPipeline } from '../test/helpers/pipeline';

const callLatencyMs = Number(process.env.BENCH_MODEL_LATENCY_MS ?? 50);

const english = [
  'The vendor confirmed delivery of the new laptops for Tuesday morning.',
  'Can someone check whether the VPN certificates expire before the audit?',
  'We decided to move the quarterly review to the large meeting room.',
  'Please send the updated budget spreadsheet to finance by Friday.',
];
const chinese = [
  '供应商确认新笔记本电脑周二上午送到。',
  '有人能确认一下VPN证书会不会在审计前过期吗？',
  '我们决定把季度评审改到大会议室进行。',
  '请在周五之前把更新后的预算表发给财务部。',
];

function thread(count: number, lines: string[], start = 0): HistoryMessage[] {
  return Array.from({ length: count }, (_, index) => {
    const position = start + index;
    return {
      id: `m${position}`,
      author: { id: `U${position % 9}`, name: `Person ${position % 9}` },
      text: `${lines[position % lines.length]} (#${position})`,
      at: new Date(Date.UTC(2026, 10, 27, 0, 0, position)).toISOString(),
      link: `https://example.slack.com/archives/C1/p${position}`,
      isBot: false,
    };
  });
}

class CountingModel implements LlmProvider {
  readonly name = 'counting';
  readonly configured = true;
  inputTokens = 0;
  calls = 0;
  async complete(request: LlmRequest): Promise<LlmResult> {
    this.calls += 1;
    const text = `${request.system ?? ''}\n${request.messages.map((message) => String(message.content)).join('\n')}`;
    const tokens = estimateTokens(text);
    this.inputTokens += tokens;
    await new Promise((resolve) => setTimeout(resolve, callLatencyMs));
    const cited = [...text.matchAll(/^(\d+) /gm)].slice(0, 6).map((match) => `[${match[1]}]`);
    const answer = `**TL;DR** Summary of the discussion ${cited.join('')}.\n- A key point ${cited[0] ?? ''}`;
    return {
      text: answer,
      toolCalls: [],
      stopReason: 'end_turn',
      truncated: false,
      usage: { inputTokens: tokens, outputTokens: estimateTokens(answer) },
      model: 'counting',
      latencyMs: callLatencyMs,
    };
  }
  async *stream(request: LlmRequest) {
    yield { type: 'done' as const, result: await this.complete(request) };
  }
}

/** One measurement of one thread. */
export interface SummaryMeasurement {
  messages: number;
  language: string;
  threadTokens: number;
  ratio: number;
  calls: number;
  wallMs: number;
  resummaryFraction: number;
}

async function measure(count: number, language: 'en' | 'zh'): Promise<SummaryMeasurement> {
  const lines = language === 'en' ? english : chinese;
  const platform = new RecordingPlatform('slack');
  platform.members.add('U1');
  platform.history_ = thread(count, lines);
  const model = new CountingModel();
  const pipeline = await startTestPipeline({
    platforms: { slack: platform },
    llm: model,
    skills: createSkills(),
  });
  const ask = async () => {
    await pipeline.queue.enqueue(
      inboundMessage('summarize', {
        conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', thread: 'root', kind: 'group' },
        inThread: true,
      }),
    );
    await pipeline.drain();
  };
  // The thread's own tokens: each message as people see it, its author and its text.
  const threadTokens = platform.history_.reduce(
    (sum, message) => sum + estimateTokens(`${message.author.name}: ${message.text}`),
    0,
  );
  const started = performance.now();
  await ask();
  const wallMs = performance.now() - started;
  const first = { tokens: model.inputTokens, calls: model.calls };
  platform.history_.push(...thread(20, lines, count));
  await ask();
  await pipeline.stop();
  return {
    messages: count,
    language,
    threadTokens,
    ratio: first.tokens / threadTokens,
    calls: first.calls,
    wallMs,
    resummaryFraction: (model.inputTokens - first.tokens) / first.tokens,
  };
}

/** Run every size and language. */
export async function benchSummaries(): Promise<SummaryMeasurement[]> {
  const results: SummaryMeasurement[] = [];
  for (const count of [200, 2000, 10000]) {
    for (const language of ['en', 'zh'] as const) results.push(await measure(count, language));
  }
  return results;
}

if (require.main === module) {
  benchSummaries().then((results) => {
    for (const result of results) {
      console.log(
        `${String(result.messages).padStart(5)} ${result.language}: tokens sent / thread tokens ${result.ratio.toFixed(3)}, calls ${result.calls}, wall ${result.wallMs.toFixed(0)} ms, re-summary ${(result.resummaryFraction * 100).toFixed(1)}% of first`,
      );
    }
  });
}
