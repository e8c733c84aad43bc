import { REGIONS } from '../accounts/roles.ts';
import { formatDate } from '../qualification/format.ts';
import type { RoomsDeps } from './deps.ts';
import type { RoomStatus } from './model.ts';
import { datesHeld, statusOf } from './room-status.ts';

/** One room as the provider reports it to funders. */
export interface OverviewRow {
  id: string;
  title: string;
  lead: string;
  region: string;
  topic: string;
  status: RoomStatus;
  datesHeld: number;
  datesPlanned: number;
  participants: number;
  companies: number;
  firstDate?: Date;
  year: number;
}

/** Company names counted once, whatever their spelling of case and spaces. */
const companyKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** The admin's overview of every room, filterable by region and year, and its table for the exports. */
export function createOverview(deps: RoomsDeps) {
  const { repo } = deps;
  return {
    async rows(filter: { region?: string; year?: number }): Promise<OverviewRow[]> {
      const rooms = await repo.listRooms(filter);
      const members = await repo.membersOfRooms(rooms.map((r) => r.id));
      const [people, profiles] = await Promise.all([
        deps.people.findUsers([...new Set([...rooms.map((r) => r.leadId), ...members.map((m) => m.userId)])]),
        repo.guestProfiles([...new Set(members.map((m) => m.userId))]),
      ]);
      const byId = new Map(people.map((p) => [p.id, p]));
      const company = new Map(profiles.map((p) => [p.userId, p.company]));
      return rooms.map((r) => {
        const mine = members.filter((m) => m.roomId === r.id);
        const companies = new Set(mine.map((m) => companyKey(company.get(m.userId) ?? byId.get(m.userId)?.organisation ?? '')).filter(Boolean));
        return {
          id: r.id,
          title: r.title,
          lead: byId.get(r.leadId)?.name ?? '',
          region: r.region,
          topic: r.topic,
          status: statusOf(r),
          datesHeld: datesHeld(r),
          datesPlanned: r.dates.length,
          participants: mine.length,
          companies: companies.size,
          firstDate: r.dates[0]?.startsAt,
          year: r.year,
        };
      });
    },
    regions: REGIONS,
  };
}
export type Overview = ReturnType<typeof createOverview>;

/** The overview as a table with German headers (the exports are German whatever the page's language). */
export function overviewTable(rows: OverviewRow[], t: (key: string) => string): { headers: string[]; rows: Array<Array<string | number>> } {
  return {
    headers: ['Titel', 'Lotse/Lotsin', 'Region', 'Thema', 'Status', 'Termine gehalten', 'Termine geplant', 'Teilnehmende', 'Betriebe', 'Erster Termin', 'Jahr'],
    rows: rows.map((r) => [
      r.title,
      r.lead,
      t(`accounts:regions.${r.region}`),
      r.topic,
      t(`rooms:status.${r.status}`),
      r.datesHeld,
      r.datesPlanned,
      r.participants,
      r.companies,
      formatDate(r.firstDate),
      r.year,
    ]),
  };
}
