import type { CompanySize, RoomPractice, RoomSummarySource, RoomsPort } from '../results/ports.ts';
import { isLead } from './access.ts';
import type { PeoplePort } from './ports.ts';
import type { Room, RoomRepository } from './repository.ts';
import { datesHeld, statusOf } from './room-status.ts';

const companyKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** The distinct companies of a room's members: the guest profile's company, else the account's organisation. */
function companiesOf(
  memberIds: string[],
  profiles: Array<{ userId: string; company: string }>,
  persons: Array<{ id: string; organisation: string }>,
): Set<string> {
  const company = new Map(profiles.map((p) => [p.userId, p.company]));
  const org = new Map(persons.map((p) => [p.id, p.organisation]));
  return new Set(memberIds.map((id) => companyKey(company.get(id) ?? org.get(id) ?? '')).filter(Boolean));
}

/** First and last date held (their start), for both the summary and the practice list. */
function heldSpan(room: Room): { heldFrom?: Date; heldUntil?: Date } {
  const held = room.dates.filter((d) => d.heldAt).map((d) => d.startsAt);
  return held.length ? { heldFrom: held[0], heldUntil: held[held.length - 1] } : {};
}

/**
 * The rooms as the public results (src/results, issue #21) read them, exactly as src/results/ports.ts
 * declares: a room's summary source with the curated board and every personal term that must never
 * be published, whether a person leads a room, and a Lotse's practice.
 */
export function createResultsPort(deps: { repo: RoomRepository; people: Pick<PeoplePort, 'findUsers'> }): RoomsPort {
  const { repo, people } = deps;

  async function practice(room: Room, companyCount?: number): Promise<RoomPractice> {
    return {
      roomId: room.id,
      title: room.title,
      topic: room.topic,
      region: room.region,
      status: statusOf(room),
      datesHeld: datesHeld(room),
      companyCount: companyCount ?? (await companies(room.id)).size,
      ...heldSpan(room),
    };
  }

  async function companies(roomId: string): Promise<Set<string>> {
    const memberIds = (await repo.membersOf(roomId)).map((m) => m.userId);
    const [profiles, persons] = await Promise.all([repo.guestProfiles(memberIds), people.findUsers(memberIds)]);
    return companiesOf(memberIds, profiles, persons);
  }

  return {
    async summarySource(roomId): Promise<RoomSummarySource | undefined> {
      const room = await repo.findRoom(roomId);
      if (!room) return undefined;
      const [members, results] = await Promise.all([repo.membersOf(room.id), repo.resultsOf(room.id)]);
      const memberIds = members.map((m) => m.userId);
      const [profiles, persons] = await Promise.all([repo.guestProfiles(memberIds), people.findUsers([room.leadId, ...room.coModeratorIds, ...memberIds])]);
      const byDate = new Map(results.map((r) => [r.dateKey, r]));
      const terms = [
        ...persons.flatMap((p) => [p.name, p.email, p.organisation]),
        ...profiles.map((p) => p.company),
        ...room.experts.flatMap((e) => [e.name, e.email]),
      ]
        .map((s) => s.trim())
        .filter(Boolean);
      return {
        ...(await practice(room, companiesOf(memberIds, profiles, persons).size)),
        trades: [...new Set(profiles.map((p) => p.trade.trim()).filter(Boolean))],
        companySizes: [...new Set(profiles.map((p) => p.companySize as CompanySize))],
        participantCount: members.length,
        results: room.dates.flatMap((d, dateIndex) => {
          const r = byDate.get(d.key);
          return d.heldAt && r ? [{ dateIndex, tried: r.tried, worked: r.worked, nextSteps: r.nextSteps }] : [];
        }),
        personalTerms: [...new Set(terms)],
      };
    },
    async leads(roomId, userId) {
      const room = await repo.findRoom(roomId);
      return Boolean(room && isLead(room, userId));
    },
    async practiceOf(lotseId) {
      const rooms = await repo.roomsLedBy(lotseId);
      return Promise.all(rooms.map((r) => practice(r)));
    },
  };
}
