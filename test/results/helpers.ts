import type { EligibilityPort } from '../../src/qualification/ports.ts';
import type { RoomPractice, RoomsPort, RoomSummarySource } from '../../src/results/ports.ts';
import { csrfFrom, login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

/**
 * Stands in for the rooms component (src/rooms, built on another branch) behind the committed
 * RoomsPort: rooms held in memory, their leads, and the practice derived from them.
 */
export function standInRooms(): RoomsPort & {
  rooms: Map<string, { source: RoomSummarySource; leads: Set<string> }>;
  add(source: RoomSummarySource, leads: string[]): void;
} {
  const rooms = new Map<string, { source: RoomSummarySource; leads: Set<string> }>();
  const practiceLine = (s: RoomSummarySource): RoomPractice => ({
    roomId: s.roomId,
    title: s.title,
    topic: s.topic,
    region: s.region,
    status: s.status,
    datesHeld: s.datesHeld,
    companyCount: s.companyCount,
    ...(s.heldFrom ? { heldFrom: s.heldFrom } : {}),
    ...(s.heldUntil ? { heldUntil: s.heldUntil } : {}),
  });
  return {
    rooms,
    add(source, leads) {
      rooms.set(source.roomId, { source, leads: new Set(leads) });
    },
    async summarySource(roomId) {
      const r = rooms.get(roomId);
      return r ? structuredClone(r.source) : undefined;
    },
    async leads(roomId, userId) {
      return Boolean(rooms.get(roomId)?.leads.has(userId));
    },
    async practiceOf(lotseId) {
      return [...rooms.values()]
        .filter((r) => r.leads.has(lotseId))
        .map((r) => practiceLine(r.source))
        .sort((a, b) => (b.heldFrom?.getTime() ?? 0) - (a.heldFrom?.getTime() ?? 0));
    },
  };
}

/** A finished room on Datenschutz in the Saarland with four dates, three companies, and the names of everyone in it. */
export function datenschutzRoom(roomId: string, overrides: Partial<RoomSummarySource> = {}): RoomSummarySource {
  return {
    roomId,
    title: 'Datenschutz im Handwerk',
    topic: 'Datenschutz',
    region: 'saarland',
    status: 'finished',
    trades: ['Bäckerei', 'Metallbau', 'Elektrohandwerk'],
    companySizes: ['1-9', '10-49'],
    datesHeld: 4,
    companyCount: 3,
    participantCount: 7,
    heldFrom: new Date('2026-03-10T09:00:00Z'),
    heldUntil: new Date('2026-05-20T09:00:00Z'),
    results: [
      { dateIndex: 2, tried: 'Eine Löschfrist-Tabelle für Kundendaten.', worked: 'Die Tabelle hängt jetzt im Büro.', nextSteps: '' },
      {
        dateIndex: 1,
        tried: 'Ein Verzeichnis der Verarbeitungstätigkeiten in einer Stunde.',
        worked: 'Gemeinsam ging es schneller als allein.',
        nextSteps: 'Schulung der Auszubildenden.',
      },
    ],
    personalTerms: ['Jürgen Müller', 'juergen.mueller@baeckerei-mueller.de', 'Bäckerei Müller GmbH', 'Anna Arendt', 'Metallbau Schneider KG', 'Sabine Groß'],
    ...overrides,
  };
}

export async function world(opts: { eligibility?: EligibilityPort } = {}) {
  const rooms = standInRooms();
  const app = await startTestApp({ standIns: { rooms, ...(opts.eligibility ? { eligibility: opts.eligibility } : {}) } });
  const person = async (name: string, roles: Array<'learner' | 'trainer' | 'admin'> = ['learner']) => {
    const u = await app.createUser(roles, { name });
    const agent = app.agent();
    const res = await login(agent, u.email, u.password);
    if (res.status !== 302) throw new Error(`login of ${name} failed: ${res.status}`);
    return { id: u.id, name, email: u.email, password: u.password, agent };
  };
  return { app, rooms, person };
}
export type World = Awaited<ReturnType<typeof world>>;
export type Person = Awaited<ReturnType<World['person']>>;

export const publishPath = (roomId: string) => `/experimentierraeume/${roomId}/veroeffentlichen`;

/** The publish form's fields as the prefilled page has them, with `changes` over them; checkboxes as the browser sends them. */
export async function publishForm(agent: Agent, roomId: string, changes: Record<string, string | undefined> = {}) {
  const page = await agent.get(publishPath(roomId));
  if (page.status !== 200) throw new Error(`publish page ${page.status}`);
  const html = page.text;
  const value = (name: string) => {
    const input = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html) ?? new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(html);
    return input ? decode(input[1]!) : decode(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '');
  };
  const checked = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*checked`).test(html);
  const body: Record<string, string> = {
    _csrf: csrfFrom(html),
    title: value('title'),
    tried: value('tried'),
    worked: value('worked'),
    nextSteps: value('nextSteps'),
  };
  for (const c of ['includeTrades', 'includeCompanySizes', 'includeCompanyBand', 'includeDatesHeld', 'includePeriod', 'namedAsLotse'])
    if (checked(c)) body[c] = 'on';
  body.periodPrecision = /value="month"[^>]*checked/.test(html) ? 'month' : 'year';
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete body[k];
    else body[k] = v;
  }
  return body;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Publishes through the form (preview skipped: intent=publish is the explicit submit). */
export async function publish(agent: Agent, roomId: string, changes: Record<string, string | undefined> = {}) {
  const body = await publishForm(agent, roomId, changes);
  return agent
    .post(publishPath(roomId))
    .type('form')
    .send({ ...body, intent: 'publish' });
}

export const slugOf = (location: string | undefined) => /^\/ergebnisse\/([a-z0-9-]+)$/.exec(location ?? '')?.[1];

export type { TestApp };
