import type { Texts } from '../i18n/i18n.ts';
import type { Clock } from '../shared/clock.ts';
import type { Mailer } from '../shared/mailer.ts';
import type { Access } from './access.ts';
import type { CertifiedPort, FilesPort, ModulesPort, PeoplePort, StatementsPort } from './ports.ts';
import type { RoomRepository } from './repository.ts';

/** What the rooms' services are built from (component.ts hands it in). */
export interface RoomsDeps {
  repo: RoomRepository;
  access: Access;
  certified: CertifiedPort;
  people: PeoplePort;
  files: FilesPort;
  modules: ModulesPort;
  lrs: StatementsPort;
  mailer: Mailer;
  /** German texts for mails. */
  texts: Texts;
  clock: Clock;
  publicUrl: () => string;
}
