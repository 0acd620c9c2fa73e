import type { Embedder, EmbeddingPurpose } from '../core/embedder';

/** The vector length of the test embedder. */
export const testEmbedderDimensions = 256;

/** FNV-1a, 32 bits: a fixed, fast hash so the same text always lands on the same vector. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** Letter trigrams of each Latin word and pairs of Chinese characters: texts that share them point the same way. */
function features(text: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const word of lower.match(/[a-z0-9]+/g) ?? []) {
    const padded = ` ${word} `;
    for (let index = 0; index + 3 <= padded.length; index += 1) found.push(padded.slice(index, index + 3));
  }
  for (const run of lower.match(/\p{Script=Han}+/gu) ?? []) {
    const characters = [...run];
    characters.forEach((character, index) => {
      found.push(character);
      if (index + 1 < characters.length) found.push(character + characters[index + 1]);
    });
  }
  return found;
}

/** One text's vector: features hashed into signed buckets, scaled to length 1. */
function vectorOf(text: string): number[] {
  const vector = new Array<number>(testEmbedderDimensions).fill(0);
  for (const feature of features(text)) {
    const value = hash(feature);
    vector[value % testEmbedderDimensions] += value & 0x80000000 ? -1 : 1;
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((component) => component / length);
}

/**
 * A deterministic embedder for tests only, named `test` so nobody mistakes it for a model: hashed letter
 * trigrams and Chinese character pairs. It knows spelling, not meaning; a misspelled or reworded question
 * still lands near its passage, which is what hybrid-search tests need, with no model call.
 */
export class TestEmbedder implements Embedder {
  /** The name logs and `kb status` show. */
  readonly model = 'test';
  /** Every text given, in order (tests check what was embedded). */
  readonly embedded: string[] = [];

  /** One vector per text (the purpose makes no difference here). */
  async embed(texts: string[], _purpose: EmbeddingPurpose = 'document'): Promise<number[][]> {
    this.embedded.push(...texts);
    return texts.map(vectorOf);
  }
}
