import type { AppContext } from '../app-context.ts';
import { inProcessBus, type ChatBus } from './chat-bus.ts';
import { changeStreamBus } from './change-stream-bus.ts';
import { createLiveChannels } from './live-channels.ts';
import type { CertifiedPort, PeoplePort, ProgressPort, QualificationPort, StatementsPort } from './ports.ts';
import { createCommunityRepository } from './repository.ts';
import { communityRoutes } from './routes.ts';
import { createCommunityService } from './service.ts';

export interface CommunityPorts {
  qualification: QualificationPort;
  progress: ProgressPort;
  certified: CertifiedPort;
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
  const service = createCommunityService({ ...ports, repo, bus, clock: ctx.clock, logger: ctx.logger, publicUrl: ctx.publicUrl });
  const live = createLiveChannels({ bus, chat: service.chat });
  return {
    service,
    bus,
    live,
    webRouter: communityRoutes(service, live),
    async start() {
      await repo.ensureIndexes();
    },
    async close() {
      await bus.close();
    },
  };
}
export type CommunityComponent = Awaited<ReturnType<typeof createCommunityComponent>>;
