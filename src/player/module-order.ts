/**
 * Puts the modules another component names first, in that order (the qualification's Q1 modules,
 * passed in by the composition root; the player does not know the qualification); the rest keep
 * their order after them.
 */
export function orderModules<T extends { slug: string }>(rows: T[], order: string[]): T[] {
  const rank = (slug: string) => {
    const i = order.indexOf(slug);
    return i < 0 ? order.length : i;
  };
  return [...rows].sort((a, b) => rank(a.slug) - rank(b.slug));
}
