/** The k of reciprocal rank fusion: 60, as in Cormack, Clarke & Büttcher (SIGIR 2009). */
export const RRF_K = 60;

export type RankList = "text" | "trigram" | "vector";
export type Fused = { id: string; score: number; ranks: Partial<Record<RankList, number>> };

/**
 * Reciprocal rank fusion: each list that found an item adds 1 / (k + rank) to its score, so an
 * item several lists agree on rises above one a single list put first, and no list's raw scores
 * (ts_rank_cd, word similarity, cosine distance: incomparable units) need calibrating. Ties break
 * on the best single rank, then on the id, so the same inputs always give the same order.
 */
export function fuseRankings(lists: Partial<Record<RankList, string[]>>, k = RRF_K): Fused[] {
  const byId = new Map<string, Fused>();
  for (const [list, ids] of Object.entries(lists) as [RankList, string[]][]) {
    ids.forEach((id, i) => {
      const item = byId.get(id) ?? { id, score: 0, ranks: {} };
      if (item.ranks[list] !== undefined) return;
      item.ranks[list] = i + 1;
      item.score += 1 / (k + i + 1);
      byId.set(id, item);
    });
  }
  const best = (f: Fused) => Math.min(...Object.values(f.ranks));
  return [...byId.values()].sort(
    (a, b) => b.score - a.score || best(a) - best(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
