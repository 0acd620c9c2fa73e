import { LlmError } from '../../core/errors';
import type { LlmProvider, LlmRequest, UsageScope } from '../../core/llm-provider';
import { chunkUnderBudget } from '../../llm/token-budget';
import { estimateTokens } from '../../llm/token-estimator';
import { renderPrompt } from '../../prompts/render';
import { fencedTranscript, type NumberedMessage, transcriptLineTokens } from './transcript';

/** Limits of one summary run. */
export interface SummaryBudget {
  /** Most transcript tokens sent in one model call. */
  chunkTokens: number;
  /** Model calls at once in the map phase. */
  concurrency: number;
}

/** What the map-reduce needs besides the messages. */
export interface SummaryCall {
  /** The model. */
  llm: LlmProvider;
  /** Prompt variables (language, headings, requester). */
  wording: Record<string, string>;
  /** Usage scope. */
  scope: UsageScope;
  /** Cancels the calls. */
  signal?: AbortSignal;
  /** Counts model calls made. */
  calls: { count: number };
  /** The asker's timezone: the transcript's times are on their clock (UTC when not given). */
  timezone?: string;
}

/** Run tasks with at most `limit` at once, keeping result order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** One model call of a summary: a prompt by name, the fenced data as the user turn, no tools. */
export async function callModel(
  call: SummaryCall,
  promptName: string,
  variables: Record<string, string>,
  user: string,
): Promise<string> {
  const prompt = renderPrompt(promptName, { ...call.wording, ...variables });
  const request: LlmRequest = {
    system: prompt.text,
    maxTokens: prompt.maxTokens,
    messages: [{ role: 'user', content: user }],
    // Content being summarized is data: this path offers the model no tools.
    tools: undefined,
    purpose: 'summarize',
    scope: call.scope,
    signal: call.signal,
  };
  call.calls.count += 1;
  const result = await call.llm.complete(request);
  const text = result.text.trim();
  // No text (a reasoning model's thinking used the output limit): said plainly, never an empty summary.
  if (!text) throw new LlmError('empty_answer', 'the model ended a summary call without text');
  return text;
}

/**
 * Merge notes (each with `[n]` citations) until they fit one call, then into the final summary with the merge
 * prompt (`summarize-merge` for conversations; documents and minutes name their own).
 */
export async function reduceNotes(
  notes: string[],
  call: SummaryCall,
  budget: SummaryBudget,
  mergePrompt = 'summarize-merge',
): Promise<string> {
  let current = notes;
  while (
    current.length > 1 &&
    current.reduce((sum, note) => sum + estimateTokens(note), 0) > budget.chunkTokens
  ) {
    const groups = chunkUnderBudget(current, budget.chunkTokens, estimateTokens);
    if (groups.length === current.length) break; // each note alone fills the budget: merge them as they are
    current = await mapWithConcurrency(groups, budget.concurrency, (group) =>
      group.length === 1 ? Promise.resolve(group[0]) : mergeOnce(group, call, mergePrompt),
    );
  }
  return mergeOnce(current, call, mergePrompt);
}

function mergeOnce(notes: string[], call: SummaryCall, prompt = 'summarize-merge'): Promise<string> {
  const body = notes.map((note, index) => `Part ${index + 1}:\n${note}`).join('\n\n');
  return callModel(call, prompt, {}, `<notes>\n${body.replace(/<\/?notes>/gi, '')}\n</notes>`);
}

/** Summarize numbered messages: one call when they fit the budget, else map (chunks in parallel) and reduce. */
export async function summarizeMessages(
  messages: NumberedMessage[],
  call: SummaryCall,
  budget: SummaryBudget,
): Promise<string> {
  const total = messages.reduce((sum, entry) => sum + transcriptLineTokens(entry), 0);
  if (total <= budget.chunkTokens) {
    return callModel(call, 'summarize', {}, fencedTranscript(messages, call.timezone));
  }
  const chunks = chunkUnderBudget(messages, budget.chunkTokens, transcriptLineTokens);
  const notes = await mapWithConcurrency(chunks, budget.concurrency, (chunk, index) =>
    callModel(
      call,
      'summarize-chunk',
      { part: String(index + 1), parts: String(chunks.length) },
      fencedTranscript(chunk, call.timezone),
    ),
  );
  return reduceNotes(notes, call, budget);
}

/** Update an earlier summary with new messages (only they and the summary reach the model). */
export async function updateSummary(
  previous: string,
  newMessages: NumberedMessage[],
  call: SummaryCall,
  budget: SummaryBudget,
): Promise<string> {
  const total =
    newMessages.reduce((sum, entry) => sum + transcriptLineTokens(entry), 0) + estimateTokens(previous);
  if (total > budget.chunkTokens) {
    // Too many new messages for one update: summarize them first, then merge with the earlier summary.
    const fresh = await summarizeMessages(newMessages, call, budget);
    return mergeOnce([previous, fresh], call);
  }
  const user = `<summary>\n${previous.replace(/<\/?summary>/gi, '')}\n</summary>\n\n${fencedTranscript(newMessages, call.timezone)}`;
  return callModel(call, 'summarize-update', {}, user);
}
