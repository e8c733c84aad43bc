import type { Clock } from '../shared/clock.ts';
import { personalDataIn, preparePersonalTerms } from './anonymise.ts';
import { companyBand } from './company-band.ts';
import type { Viewer } from './platform-ports.ts';
import type { RoomPractice, RoomsPort } from './ports.ts';
import type { ResultsRepository } from './repository.ts';

/** A room of the Lotse's practice as the public verify page shows it: no participants, no companies. */
export interface PublicPracticeLine {
  title: string;
  topic: string;
  region: string;
  datesHeld: number;
  heldFrom?: Date;
  heldUntil?: Date;
}

/**
 * The Lotse's practice (issue #21): the rooms they led, on their own profile always, and on their
 * certificate's public verify page only when they switched it on (default off).
 */
export function createPractice(deps: { repo: ResultsRepository; rooms: RoomsPort; clock: Clock }) {
  const { repo, rooms } = deps;

  /**
   * The title a stranger may read: the published summary's (checked when it was published), else
   * the room's own title if it names nobody of the room, else none (the topic stands for it).
   */
  async function publicTitle(room: RoomPractice, publishedTitle: string | undefined): Promise<string> {
    if (publishedTitle) return publishedTitle;
    const source = await rooms.summarySource(room.roomId);
    if (!source) return '';
    const terms = preparePersonalTerms(source.personalTerms, [...source.trades, source.topic]);
    return personalDataIn(room.title, terms).length ? '' : room.title;
  }

  return {
    /** The profile's section: every room the Lotse led, whether its results are published, and the switch. */
    async ofViewer(viewer: Viewer) {
      const [list, showOnCertificate] = await Promise.all([rooms.practiceOf(viewer.id), repo.practiceSetting(viewer.id)]);
      const published = new Map((await repo.findByRooms(list.map((r) => r.roomId))).map((s) => [s.roomId, s]));
      return {
        showOnCertificate,
        rooms: list.map((r) => {
          const s = published.get(r.roomId);
          return { ...r, companyBand: companyBand(r.companyCount), publication: s ? { slug: s.slug, status: s.status } : undefined };
        }),
      };
    },
    async setShowOnCertificate(viewer: Viewer, on: boolean): Promise<void> {
      await repo.setPracticeSetting(viewer.id, on, deps.clock.now());
    },

    /** For the certificates' verify page: the rooms held or running, only when the holder opted in; [] otherwise. */
    async publicPracticeOf(holderId: string): Promise<PublicPracticeLine[]> {
      if (!(await repo.practiceSetting(holderId))) return [];
      const list = (await rooms.practiceOf(holderId)).filter((r) => r.status !== 'planned');
      const published = new Map((await repo.findByRooms(list.map((r) => r.roomId))).filter((s) => s.status === 'published').map((s) => [s.roomId, s.title]));
      return Promise.all(
        list.map(async (r) => ({
          title: await publicTitle(r, published.get(r.roomId)),
          topic: r.topic,
          region: r.region,
          datesHeld: r.datesHeld,
          ...(r.heldFrom ? { heldFrom: r.heldFrom } : {}),
          ...(r.heldUntil ? { heldUntil: r.heldUntil } : {}),
        })),
      );
    },
  };
}
export type Practice = ReturnType<typeof createPractice>;
