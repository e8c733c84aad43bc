import type { Clock } from '../shared/clock.ts';
import type { ClientService } from './clients/service.ts';
import type { DocumentGuard, DocumentReadHook } from './documents/guards.ts';
import type { DocumentKey } from './documents/repository.ts';
import type { DocumentService, Preconditions } from './documents/service.ts';
import { ifiKey } from './statements/identity.ts';
import { MAX_INTERNAL_PAGE, type ReadStatements, type StatementPage } from './statements/read-statements.ts';
import type { NamedHook, StoreStatements, StatementGuard, StoredHook } from './statements/store-statements.ts';
import type { ReplayStatements } from './statements/replay-statements.ts';
import type { Agent, Credential, StatementQuery } from './types.ts';
import { DEFAULT_VERSION } from './version.ts';
import { validationError } from '../shared/errors.ts';

/** The identity of the app itself when it writes statements (SCORM → xAPI, attendance). */
const SYSTEM_CREDENTIAL = (authority: Agent): Credential => ({ key: 'system', name: 'GeZu Lotse Academy', scopes: ['all'], authority });

/** A state document's address, as the State resource names it (Communication §2.3). */
export interface StateAddress {
  activityId: string;
  agent: Agent;
  stateId: string;
  registration?: string;
}

function stateKey(a: StateAddress): DocumentKey {
  const agentKey = ifiKey(a.agent);
  if (!agentKey) throw validationError('lrs:errors.badAgent', [{ field: 'agent', message: 'lrs:errors.badAgent' }]);
  return { kind: 'state', activityId: a.activityId, agentKey, registration: a.registration?.toLowerCase() ?? '', docId: a.stateId };
}

/** What other components may call (architecture.md): the same rules as over HTTP, without HTTP. */
export function createLrsService(deps: {
  store: StoreStatements;
  read: ReadStatements;
  replay: ReplayStatements;
  documents: DocumentService;
  clients: ClientService;
  guards: StatementGuard[];
  documentGuards: DocumentGuard[];
  documentReadHooks: DocumentReadHook[];
  hooks: NamedHook[];
  clock: Clock;
  publicUrl: () => string;
}) {
  const appAuthority = (): Agent => ({ objectType: 'Agent', name: 'GeZu Lotse Academy', account: { homePage: deps.publicUrl(), name: 'lms' } });
  const internalReader = () => SYSTEM_CREDENTIAL(appAuthority());
  return {
    /** Validated exactly like HTTP posts; guards and hooks apply. Returns the ids. */
    storeStatements: (statements: unknown[], authority?: Agent): Promise<string[]> =>
      deps.store(statements, SYSTEM_CREDENTIAL(authority ?? appAuthority()), { version: DEFAULT_VERSION, batch: statements.length !== 1 }),

    /** A page of statements as GET /statements returns it (every statement visible). */
    getStatements: (query: StatementQuery | { more: string }, languages: string[] = []): Promise<StatementPage> =>
      deps.read.page(query, internalReader(), languages, MAX_INTERNAL_PAGE),

    /** One statement by id; voided statements are found with `voided: true`. */
    getStatement: async (id: string, opts: { voided?: boolean } = {}) =>
      (await deps.read.one(id.toLowerCase(), opts.voided ?? false, internalReader(), 'exact', [])).statement,

    /** A state document, or undefined when there is none. */
    async getDocument(address: StateAddress): Promise<{ contentType: string; content: Buffer; etag: string; updated: Date } | undefined> {
      return deps.documents.get(stateKey(address)).catch((err: unknown) => {
        if ((err as { kind?: string }).kind === 'not-found') return undefined;
        throw err;
      });
    },

    /** Writes (replaces) a state document, e.g. cmi5's LMS.LaunchData. */
    async putDocument(address: StateAddress, doc: { contentType: string; content: Buffer | string | object }, pre: Preconditions = {}): Promise<void> {
      const content = Buffer.isBuffer(doc.content) ? doc.content : Buffer.from(typeof doc.content === 'string' ? doc.content : JSON.stringify(doc.content));
      await deps.documents.put(stateKey(address), { contentType: doc.contentType, content }, pre, {
        credential: SYSTEM_CREDENTIAL(appAuthority()),
        agent: address.agent,
      });
    },

    /** Short-lived Basic credentials for one learner and registration (launches). */
    mintCredentials: (input: { actor: Agent; registration: string; ttlSeconds: number; scopes?: Credential['scopes'] }) => deps.clients.mint(input),

    /** Runs before statements are stored; may throw a DomainError to refuse them (cmi5 session rules). */
    registerStatementGuard(fn: StatementGuard): void {
      deps.guards.push(fn);
    },

    /**
     * Runs before every document write or delete (state, activity and agent profiles; HTTP and
     * putDocument alike); may throw a DomainError('forbidden') to refuse it (cmi5's LMS.LaunchData).
     */
    registerDocumentGuard(fn: DocumentGuard): void {
      deps.documentGuards.push(fn);
    },

    /** Runs when content asks for one document over HTTP, found or not (cmi5: the learner preferences were read). */
    onDocumentRead(fn: DocumentReadHook): void {
      deps.documentReadHooks.push(fn);
    },

    /**
     * Runs after statements are stored, in this process (projections such as progress records). A
     * call holds every statement of the registrations it holds (those without one together), in
     * stored order; a request's registrations may be shared among several calls that run at the same
     * time; a replay hands over whole pages in stored order. A call that fails is tried again
     * shortly; if it still fails, its statement ids are recorded under `name` (lrs_hook_failures)
     * and `npm run lrs -- replay` hands them to the hook again. `prepare` (optional) reads what the
     * hook needs while the statements are inserted; the hook gets its promise as second argument.
     */
    onStatementsStored(fn: StoredHook, opts?: string | (Pick<NamedHook, 'prepare'> & { name?: string })): void {
      const { name, prepare } = typeof opts === 'string' ? { name: opts, prepare: undefined } : (opts ?? {});
      deps.hooks.push({ name: name ?? (fn.name || `hook-${deps.hooks.length + 1}`), fn, prepare });
    },

    /** Every stored statement through those hooks again (npm run lrs -- replay): rebuilds projections. */
    replayStatements: (opts?: Parameters<ReplayStatements>[0]) => deps.replay(opts),

    clients: deps.clients,
  };
}
export type LrsService = ReturnType<typeof createLrsService>;
