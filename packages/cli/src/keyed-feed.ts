/**
 * Runs `task` for every item with at most `limit` tasks in flight, and never two of the same key at once:
 * items sharing a key run one after another in input order (each starts once the previous one settled, so
 * it can act on its outcome), items without a key each run alone. Results come back in input order.
 * `task` is expected not to reject: a rejection is passed on once the other workers have finished.
 *
 * A batch feeds the SDK's queue through this: the bounded window keeps it under the queue's `maxQueue`
 * (no `QueueFull`, however long the batch), and the per-key order lets an event be spooled behind an
 * earlier event of its alert that was spooled.
 *
 * @example
 * await feedKeyed(events, (event) => event.alert_key, 1_000, (event) => flashCall.enqueue(event));
 */
export async function feedKeyed<Item, Result>(
  items: readonly Item[],
  keyOf: (item: Item) => string | undefined,
  limit: number,
  task: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  // One chain per key (and one per keyless item), in the order of each chain's first item.
  const chains: number[][] = [];
  const byKey = new Map<string, number[]>();
  for (const [index, item] of items.entries()) {
    const key = keyOf(item);
    const chain = key === undefined ? undefined : byKey.get(key);
    if (chain !== undefined) {
      chain.push(index);
      continue;
    }
    const fresh = [index];
    chains.push(fresh);
    if (key !== undefined) byKey.set(key, fresh);
  }
  const results = new Array<Result>(items.length);
  let next = 0;
  const worker = async () => {
    for (let chain = chains[next++]; chain !== undefined; chain = chains[next++]) {
      for (const index of chain) results[index] = await task(items[index] as Item, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, chains.length)) }, worker);
  const settled = await Promise.allSettled(workers);
  for (const outcome of settled) if (outcome.status === "rejected") throw outcome.reason;
  return results;
}
