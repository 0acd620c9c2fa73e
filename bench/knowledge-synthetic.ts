/**
 * Synthetic knowledge chunks for the scale part of the knowledge bench: generated deterministically (a seeded
 * generator) from the fixture corpus's own vocabulary, English words and Chinese characters, so the keyword
 * index sees the same kind of text and the same query terms as the real corpus, at 100,000 chunks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeChunk, KnowledgeSource } from '../src/core/knowledge-index';
import { knowledgeDocumentsRoot, listKnowledgeDocuments } from '../test/knowledge/fixture-corpus';

/** The principal of open sources, and the few restricted ones the generator also writes. */
export const openPrincipal = 'everyone';
/** A conversation that reads one source in twenty. */
export const restrictedPrincipal = 'conversation:slack:T0LANTING:C0HRMANAGERS';

/** A small deterministic random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** The corpus's words: English words of three letters or more, and Chinese characters, with repeats (so frequent words stay frequent). */
export function corpusVocabulary(): { english: string[]; chinese: string[] } {
  const english: string[] = [];
  const chinese: string[] = [];
  for (const path of listKnowledgeDocuments().filter((name) => /\.(md|txt|html)$/.test(name))) {
    const text = readFileSync(join(knowledgeDocumentsRoot, path), 'utf8').replace(/<[^>]+>/g, ' ');
    for (const word of text.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? []) english.push(word.toLowerCase());
    for (const character of text.match(/\p{Script=Han}/gu) ?? []) chinese.push(character);
  }
  return { english, chinese };
}

/** A sentence of `length` words (English) or characters (Chinese) drawn from the vocabulary. */
function sentence(random: () => number, words: string[], length: number, separator: string): string {
  const picked: string[] = [];
  for (let index = 0; index < length; index += 1) picked.push(words[Math.floor(random() * words.length)]);
  return picked.join(separator);
}

/** One synthetic source and its chunks. */
export interface SyntheticSource {
  source: KnowledgeSource;
  chunks: KnowledgeChunk[];
}

/**
 * `sourceCount` sources of `chunksPerSource` chunks each (half English, half Chinese, about 80 words or 160
 * characters each, like a fixture section), every twentieth readable only by `restrictedPrincipal`.
 */
export function* syntheticSources(
  sourceCount: number,
  chunksPerSource: number,
  seed = 22,
): Generator<SyntheticSource> {
  const random = seededRandom(seed);
  const vocabulary = corpusVocabulary();
  for (let sourceIndex = 0; sourceIndex < sourceCount; sourceIndex += 1) {
    const id = `synthetic/${String(sourceIndex).padStart(5, '0')}.md`;
    const source: KnowledgeSource = {
      id,
      version: `v${seed}-${sourceIndex}`,
      origin: 'folder',
      title: `Synthetic ${sourceIndex}`,
      access: [sourceIndex % 20 === 19 ? restrictedPrincipal : openPrincipal],
      indexedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    };
    const chunks: KnowledgeChunk[] = [];
    for (let ordinal = 0; ordinal < chunksPerSource; ordinal += 1) {
      const chinese = (sourceIndex + ordinal) % 2 === 1;
      const heading = chinese
        ? sentence(random, vocabulary.chinese, 4, '')
        : sentence(random, vocabulary.english, 3, ' ');
      const text = chinese
        ? `## ${heading}\n\n${sentence(random, vocabulary.chinese, 160, '')}`
        : `## ${heading}\n\n${sentence(random, vocabulary.english, 80, ' ')}`;
      chunks.push({
        id: `${id}#${ordinal}`,
        sourceId: id,
        text,
        headingPath: [heading],
        place: `§ ${heading}`,
        language: chinese ? 'zh' : 'en',
      });
    }
    yield { source, chunks };
  }
}
