import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChatBus } from './chat-bus.ts';
import { createChat } from './chat.ts';
import { createMembership } from './membership.ts';
import type { Texts } from '../i18n/i18n.ts';
import type { Mailer } from '../shared/mailer.ts';
import { createNotifications } from './notifications.ts';
import { createJournals } from './journals.ts';
import { createFiles } from './files.ts';
import type { FileRepository } from './file-repository.ts';
import type { JournalRepository } from './journal-repository.ts';
import type { CertifiedPort, PeoplePort, ProgressPort, QualificationPort, RoomMembersPort, StatementsPort } from './ports.ts';
import type { CommunityRepository } from './repository.ts';
import { createReadMarks } from './read-marks.ts';
import { createThreads } from './threads.ts';

export interface CommunityDeps {
  repo: CommunityRepository;
  journalRepo: JournalRepository;
  fileRepo: FileRepository;
  qualification: QualificationPort;
  progress: ProgressPort;
  certified: CertifiedPort;
  /** The Experimentierräume's members (src/rooms); without it there are no room spaces. */
  rooms?: RoomMembersPort;
  people: PeoplePort;
  lrs: StatementsPort;
  bus: ChatBus;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  mailer: Mailer;
  texts: Texts;
  /** How long a chat POST trusts a membership checked before (the open streams' re-check interval). */
  chatTrustMs: number;
}

/** The community's services: who belongs where, threads and replies, the live chat. */
export function createCommunityService(deps: CommunityDeps) {
  const membership = createMembership({ qualification: deps.qualification, progress: deps.progress, certified: deps.certified, rooms: deps.rooms });
  const notifications = createNotifications(deps);
  const readMarks = createReadMarks(deps);
  return {
    membership,
    notifications,
    readMarks,
    threads: createThreads({ ...deps, membership, notifications, readMarks }),
    chat: createChat({ ...deps, membership, trustMs: deps.chatTrustMs }),
    files: createFiles({ repo: deps.fileRepo, membership }),
    journals: createJournals({ ...deps, repo: deps.journalRepo, notifications }),
  };
}
export type CommunityService = ReturnType<typeof createCommunityService>;
