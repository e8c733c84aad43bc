import type { AppContext } from '../app-context.ts';
import { createAccess } from './access.ts';
import { createGuestFence } from './guest-fence.ts';
import { createRoomMembersPort } from './members-port.ts';
import { roomsNavLocals } from './nav-locals.ts';
import { seedDemoRoom } from './demo-data.ts';
import type { CertifiedPort, DemoPort, FilesPort, ModulesPort, PeoplePort, StatementsPort } from './ports.ts';
import { createRoomRepository } from './repository.ts';
import { createResultsPort } from './results-port.ts';
import { roomRoutes } from './routes.ts';
import { createRoomsService } from './service.ts';

/**
 * The rooms' store and the ports others read through, made before the components that read them:
 * the community reads a room's members (members-port.ts), the public results the rooms' summaries
 * (results-port.ts); the rooms in turn need the certificates and the community's files. The
 * composition root makes the store first, then those components, then the rooms component (like
 * the qualification's store before the player).
 */
export function createRoomStore(ctx: Pick<AppContext, 'connection'>, deps: { people: Pick<PeoplePort, 'findUsers'> }) {
  const repo = createRoomRepository(ctx.connection);
  return { repo, membersPort: createRoomMembersPort(repo), resultsPort: createResultsPort({ repo, people: deps.people }) };
}
export type RoomStore = ReturnType<typeof createRoomStore>;

export interface RoomPorts {
  certified: CertifiedPort;
  people: PeoplePort;
  files: FilesPort;
  modules: ModulesPort;
  lrs: StatementsPort;
  /** The demo Lotse who leads the demo room; used only with demo data on. */
  demo?: DemoPort;
}

/** Wires the Experimentierräume (issue #21): store → services → routes; the results' port. */
export function createRoomsComponent(ctx: AppContext, store: RoomStore, ports: RoomPorts) {
  const { repo } = store;
  const { demo, ...servicePorts } = ports;
  const service = createRoomsService({
    ...servicePorts,
    repo,
    access: createAccess(repo),
    mailer: ctx.mailer,
    texts: ctx.texts,
    clock: ctx.clock,
    publicUrl: ctx.publicUrl,
  });
  return {
    service,
    /** What the public results read of the rooms (src/results/ports.ts RoomsPort). */
    resultsPort: store.resultsPort,
    webRouter: roomRoutes(service),
    /** Guests see their rooms and their rooms' self-study modules, nothing else (src/app.ts mounts it before every component's pages). */
    guestFence: createGuestFence(repo),
    /** The navigation's entry (src/app.ts mounts it before every component's routes). */
    viewLocals: roomsNavLocals({ repo, certified: ports.certified, now: () => ctx.clock.now().getTime() }),
    async start() {
      await repo.ensureIndexes();
      // demo data only (off in production): the certificates, started before, certified the demo Lotse
      if (ctx.config.demoData && demo) await seedDemoRoom({ rooms: service.rooms, repo, demo, clock: ctx.clock });
    },
  };
}
export type RoomsComponent = ReturnType<typeof createRoomsComponent>;
