import type { CollectionDeclaration, PersonalDataEntry } from './contract.ts';

/**
 * The order erasure runs in. The accounts go last: until then the person's e-mail and name are
 * known to every step, and the account is locked (deactivated) before the first step runs
 * (erasure/run-erasure.ts). The LRS goes first: statements are found by the agent keys alone.
 * Components not listed run after the listed ones, before accounts. The rooms run after the
 * qualification and before the community: a guest's places and profile go before their posts in the
 * room's space are anonymised.
 */
const ERASURE_ORDER = ['lrs', 'player', 'insight', 'qualification', 'certificates', 'content', 'rooms', 'privacy'];

export interface PrivacyRegistry {
  /** The entries in erasure order (accounts last). */
  entries: PersonalDataEntry[];
  /** Every declared collection: with personal data, or declared as holding none. */
  declaredCollections(): Set<string>;
  /** The collections declared to hold personal data, with their component. */
  personalCollections(): Array<CollectionDeclaration & { component: string }>;
}

const rank = (component: string) => (component === 'accounts' ? 1000 : ERASURE_ORDER.includes(component) ? ERASURE_ORDER.indexOf(component) : 500);

/** Builds the register; a collection claimed twice or a component registered twice is a programming error. */
export function createPrivacyRegistry(entries: PersonalDataEntry[]): PrivacyRegistry {
  const owner = new Map<string, string>();
  const components = new Set<string>();
  for (const e of entries) {
    if (components.has(e.component)) throw new Error(`privacy: component ${e.component} is registered twice`);
    components.add(e.component);
    for (const name of [...e.collections.map((c) => c.name), ...(e.withoutPersonalData ?? []).map((c) => c.name)]) {
      const other = owner.get(name);
      if (other) throw new Error(`privacy: collection ${name} is declared by ${other} and ${e.component}`);
      owner.set(name, e.component);
    }
  }
  const ordered = [...entries].sort((a, b) => rank(a.component) - rank(b.component));
  return {
    entries: ordered,
    declaredCollections: () => new Set(owner.keys()),
    personalCollections: () => ordered.flatMap((e) => e.collections.map((c) => ({ ...c, component: e.component }))),
  };
}
