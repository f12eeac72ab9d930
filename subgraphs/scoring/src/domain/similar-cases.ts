/**
 * Nearest neighbours in model-feature space. Features are z-scored over the
 * candidates and the query together, so a feature measured in months does not
 * outweigh a ratio; constant features drop out.
 */

export interface Neighbour<T> {
  item: T;
  distance: number;
}

export function nearestNeighbours<T>(query: readonly number[], candidates: readonly { item: T; vector: readonly number[] }[], k: number): Neighbour<T>[] {
  const all = [query, ...candidates.map((c) => c.vector)];
  const dims = query.length;
  const mean = new Array(dims).fill(0) as number[];
  const sd = new Array(dims).fill(0) as number[];
  for (let d = 0; d < dims; d++) {
    const values = all.map((v) => v[d] ?? 0);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[d] = m;
    sd[d] = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
  }
  const distance = (v: readonly number[]) => {
    let sum = 0;
    for (let d = 0; d < dims; d++) {
      const s = sd[d] as number;
      if (s > 0) sum += (((v[d] ?? 0) - (query[d] as number)) / s) ** 2;
    }
    return Math.sqrt(sum);
  };
  return candidates
    .filter((c) => c.vector.length === dims)
    .map((c) => ({ item: c.item, distance: distance(c.vector) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, k);
}
