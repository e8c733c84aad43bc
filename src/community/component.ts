import type { AppContext } from '../app-context.ts';
import { inProcessBus, type ChatBus } from './chat-bus.ts';
import { changeStreamBus } from './change-stream-bus.ts';
import { createCommunityLinks } from './links.ts';
import { createLiveChannels } from './live-channels.ts';
import type { CertifiedPort, PeoplePort, ProgressPort, QualificationPort, RoomMembersPort, StatementsPort } from './ports.ts';
import { createCommunityRepository } from './repository.ts';
import { createJournalRepository } from './journal-repository.ts';
import { createFileRepository } from './file-repository.ts';
import { journalRoutes } from './journal-routes.ts';
import { communityRoutes, communityViewLocals } from './routes.ts';
import { createCommunityService } from './service.ts';

const DAY_MS = 24 * 3600_000;

export interface CommunityPorts {
  qualification: QualificationPort;
  progress: ProgressPort;
  certified: CertifiedPort;
  rooms?: RoomMembersPort;
  people: PeoplePort;
  lrs: StatementsPort;
}

/**
 * Wires the community (issue #20). The chat's fan-out is chosen once, here: change streams when the
 * server is a replica set (several app instances each watch the chat collection), otherwise in
 * process (one instance; FerretDB has no change streams). See src/community/README.md.
 */
export async function createCommunityComponent(ctx: AppContext, ports: CommunityPorts) {
  const repo = createCommunityRepository(ctx.connection);
  const bus: ChatBus = (await repo.isReplicaSet()) ? changeStreamBus(repo, ctx.logger) : inProcessBus();
  const journalRepo = createJournalRepository(ctx.connection);
  const service = createCommunityService({
    journalRepo,
    fileRepo: createFileRepository(ctx.connection),
    ...ports,
    repo,
    bus,
    clock: ctx.clock,
    logger: ctx.logger,
    publicUrl: ctx.publicUrl,
    mailer: ctx.mailer,
    texts: ctx.texts,
    chatTrustMs: ctx.config.chatRecheckMs,
  });
  ctx.jobs.every('community-daily-digest', DAY_MS, async () => {
    const sent = await service.notifications.sendDigest();
    ctx.logger.info({ sent }, 'community digest sent');
  });
  const live = createLiveChannels({ bus, chat: service.chat, recheckMs: ctx.config.chatRecheckMs, logger: ctx.logger });
  return {
    service,
    bus,
    live,
    /** Links other components' pages show (the player's module Q&A, the path's mentor space). */
    links: createCommunityLinks(service.membership),
    webRouter: communityRoutes(service, live).use(journalRoutes(service.journals)),
    /** The badge and the profile's switches (src/app.ts mounts it before every component's routes). */
    viewLocals: communityViewLocals(service),
    async start() {
      await Promise.all([repo.ensureIndexes(), journalRepo.ensureIndexes()]);
    },
    async close() {
      await bus.close();
    },
  };
}
export type CommunityComponent = Awaited<ReturnType<typeof createCommunityComponent>>;
