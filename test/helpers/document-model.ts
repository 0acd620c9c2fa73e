import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlmRequest } from '../../src/core/llm-provider';
import { ScriptedLlm, type ScriptedReply } from '../fakes/scripted-llm';

/** The bytes of a document fixture (test/fixtures/documents). */
export function documentFixture(name: string): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', 'documents', name));
}

/** The pieces a request fenced: `[n] place` headers in the user turn. */
export function piecesIn(request: LlmRequest): Array<{ number: number; place: string }> {
  const text = String(request.messages.at(-1)?.content ?? '');
  return [...text.matchAll(/^\[(\d+)\] (.+)$/gm)].map((match) => ({
    number: Number(match[1]),
    place: match[2],
  }));
}

/** The user turn of a request. */
export function userTurn(request: LlmRequest): string {
  return String(request.messages.at(-1)?.content ?? '');
}

/** Whether a request carries the text of a fenced document. */
export function isDocumentRequest(request: LlmRequest): boolean {
  return userTurn(request).includes('<document');
}

/** Answers of a model that reads documents: summaries, minutes, answers and todo extraction, by purpose. */
export interface DocumentModelScript {
  /** A summary of the pieces it was given (default: cites the first two and an invented [99]). */
  summary?: (request: LlmRequest) => ScriptedReply;
  /** Minutes of a transcript. */
  minutes?: (request: LlmRequest) => ScriptedReply;
  /** An answer to a question. */
  answer?: (request: LlmRequest) => ScriptedReply;
  /** The action items the todo extraction returns. */
  todos?: Array<{ text: string; owner?: string; due?: string }>;
}

/** A recording model that answers document requests like a real one would, citing the pieces it got. */
export function documentModel(script: DocumentModelScript = {}): ScriptedLlm {
  return new ScriptedLlm([], (request) => {
    if (request.purpose === 'todo') {
      return { toolCalls: [{ id: 't1', name: 'record_todos', input: { items: script.todos ?? [] } }] };
    }
    if (request.purpose === 'ask') return script.answer?.(request) ?? { text: 'NOT_IN_DOCUMENT' };
    if (request.purpose === 'summarize' && request.system?.includes('minutes')) {
      if (script.minutes) return script.minutes(request);
    }
    if (request.purpose === 'summarize') {
      if (script.summary) return script.summary(request);
      const numbers = piecesIn(request).map((piece) => piece.number);
      return { text: `**TL;DR** The report covers the plan [${numbers[0]}][${numbers[1]}] and more [99].` };
    }
    return { text: 'ok' };
  });
}
