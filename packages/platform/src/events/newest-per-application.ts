/**
 * For a batch of projection writes that keep an application's newest change (an upsert guarded by
 * `stored stamp <= new stamp`): one per application, the one a sequence of single upserts would leave,
 * the newest by `stamp` and of equal stamps the last. One statement may not upsert a row twice.
 */
export function newestPerApplication<T extends { applicationId: string }>(changes: readonly T[], stamp: (change: T) => Date): T[] {
  const newest = new Map<string, T>();
  for (const change of changes) {
    const held = newest.get(change.applicationId);
    if (!held || stamp(change).getTime() >= stamp(held).getTime()) newest.set(change.applicationId, change);
  }
  return [...newest.values()];
}
