/** The usual constant of reciprocal rank fusion: it keeps one list's top hit from drowning the other list. */
export const fusionConstant = 60;

/**
 * Fuse ranked lists of ids into one (reciprocal rank fusion): each id scores the sum of 1 / (60 + rank) over
 * the lists it appears in, so what both keyword and vector search rank well comes first. Best first.
 */
export function fuseByReciprocalRank(lists: string[][]): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (fusionConstant + index + 1));
    });
  }
  return [...scores.entries()]
    .map(([id, score]) => ({ id, score }))
    .sort((left, right) => right.score - left.score || left.id.localeCompare(right.id));
}
