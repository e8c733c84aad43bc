/**
 * The privacy contract (DSGVO Art. 15, 17, 20, 30): every component that stores something about a
 * person says so here, once, with an exporter and an eraser. The registry (registry.ts) refuses a
 * collection that nobody declared, and a test scans the database for collections holding a user id
 * that no entry names (test/privacy/registry.test.ts).
 */

/** The person whose data is exported or erased, as the erasure request keeps it until it is done. */
export interface DataSubject {
  id: string;
  email: string;
  name: string;
  /**
   * The person's xAPI identifier keys (lrs/statements/identity.ts ifiKey): the platform account
   * under the public URL, and the mailbox. Statements and documents are found by these.
   */
  agentKeys: string[];
}

/** One collection and what in it is personal. */
export interface CollectionDeclaration {
  /** The MongoDB collection name (GridFS buckets: both `<bucket>.files` and `<bucket>.chunks`). */
  name: string;
  /** The fields that hold or point to a person ('' when none: see `none`). */
  fields: string[];
  /** Why it is stored (Art. 5(1)(b), 30(1)(b)), in German: shown on the admin's register page. */
  purpose: string;
  /** What an erasure leaves behind and why (Art. 17(3)); undefined when everything goes. */
  kept?: string;
}

/** Where an exporter puts its part of the zip (export/build-export.ts). */
export interface ExportSink {
  /** `<component>/<file>.json`, pretty-printed. */
  json(file: string, value: unknown): void;
  /** A file as it is (evidence, certificate PDF, credential): `<component>/<path>`. */
  file(path: string, content: Buffer | string): void;
}

/** What an eraser may use besides the person. */
export interface ErasureContext {
  /** The erasure's reference ("L-…"): what stands in for the person where a record must stay. */
  reference: string;
  now: Date;
}

/** A component's entry in the register. */
export interface PersonalDataEntry {
  /** The component's folder name: accounts, lrs, player, qualification, certificates, content, privacy. */
  component: string;
  /** Collections that hold personal data. */
  collections: CollectionDeclaration[];
  /** Collections of the component that hold none (they are declared so the coverage test knows them). */
  withoutPersonalData?: Array<{ name: string; why: string }>;
  /** Writes everything about the person into the sink; reads only, never changes anything. */
  export(subject: DataSubject, sink: ExportSink): Promise<void>;
  /**
   * Erases or anonymises the person's data in this component. Must be idempotent: a crash halfway
   * is followed by a re-run of the same step (erasure/run-erasure.ts), which then finishes it.
   */
  erase(subject: DataSubject, ctx: ErasureContext): Promise<void>;
}
