/**
 * Words that make a sentence a question or a request but say nothing about its subject: interrogatives,
 * auxiliaries, pronouns and particles, in English and Chinese. A general list (not written from any corpus):
 * keyword search matches them in every passage that happens to ask or address someone, so they only add noise.
 */
const questionWords = new Set(
  [
    // English: interrogatives, auxiliaries, pronouns, and the filler of a request.
    'how what when where which who whom whose why',
    // Not `may`, `it`, `us`: also the month, the IT department and the US.
    'do does did am is are was were can could should would will shall might must',
    'i me my mine we our you your its the a an please tell know there any anyone',
    // Chinese: interrogatives, pronouns, sentence particles and the filler of a request.
    '什么 怎么 怎么办 怎样 如何 为什么 哪 哪个 哪些 哪里 哪儿 谁 几 多少',
    '吗 呢 吧 啊 呀 了 的 地 得 是 有 没有 我 我们 你 你们 他 她 它',
    '请问 请 想 要 需要 可以 能 能否 是否 应该 一下',
  ].flatMap((line) => line.split(' ')),
);

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * A question without its question words, for keyword search: words are found by ICU word breaks (so Chinese
 * is cut into words too), each question word becomes a space, and the rest is left as written, so the index's
 * own tokenizer still cuts it. The question itself when no other word would be left.
 */
export function keywordQueryOf(question: string): string {
  const segments = [...segmenter.segment(question)];
  const kept = segments.map((segment) =>
    segment.isWordLike && questionWords.has(segment.segment.toLowerCase()) ? ' ' : segment.segment,
  );
  const remaining = segments.some(
    (segment) => segment.isWordLike && !questionWords.has(segment.segment.toLowerCase()),
  );
  return remaining ? kept.join('').replace(/\s+/g, ' ').trim() : question;
}
