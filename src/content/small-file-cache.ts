import { readFile } from 'node:fs/promises';

/**
 * Bytes of small package files in memory (LRU). Package files never change (versions are
 * immutable), so a cached copy can never be stale; pages, scripts and styles are then answered
 * without touching the disk. Large files (video) are always streamed from the extracted cache.
 */
export function createSmallFileCache(opts: { maxFileBytes: number; maxTotalBytes: number }) {
  const map = new Map<string, Buffer>();
  let total = 0;
  return {
    fits: (size: number) => size <= opts.maxFileBytes,
    async get(absPath: string): Promise<Buffer> {
      const hit = map.get(absPath);
      if (hit) {
        // refresh its place in the LRU order
        map.delete(absPath);
        map.set(absPath, hit);
        return hit;
      }
      const buf = await readFile(absPath);
      map.set(absPath, buf);
      total += buf.length;
      while (total > opts.maxTotalBytes) {
        const [key, old] = map.entries().next().value as [string, Buffer];
        map.delete(key);
        total -= old.length;
      }
      return buf;
    },
  };
}
export type SmallFileCache = ReturnType<typeof createSmallFileCache>;
