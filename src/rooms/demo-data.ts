import type { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import type { DemoPort } from './ports.ts';
import type { RoomRepository } from './repository.ts';
import { roomFormSchema } from './schemas.ts';
import type { RoomsService } from './service.ts';

const DAY = 24 * 3600_000;

/** The calendar day `days` from now in German time, as yyyy-mm-dd (the form's dates are German local time). */
function berlinDay(now: Date, days: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(now.getTime() + days * DAY),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The demo room as its form sends it (parsed by the same schema): four dates two weeks apart from
 * next week on (on site in Stuttgart first and last, virtual in between), one external expert.
 */
function demoRoomForm(now: Date): z.input<typeof roomFormSchema> {
  const dates = [
    { days: 7, time: '09:00', mode: 'vor-ort', place: 'Handwerkskammer Region Stuttgart, Heilbronner Straße 43, 70191 Stuttgart' },
    { days: 21, time: '16:00', mode: 'virtuell', place: 'https://meet.example.org/gezu-demo-werkzeuge' },
    { days: 35, time: '16:00', mode: 'virtuell', place: 'https://meet.example.org/gezu-demo-werkzeuge' },
    { days: 49, time: '09:00', mode: 'vor-ort', place: 'Haus der Wirtschaft, Willi-Bleicher-Straße 19, 70174 Stuttgart' },
  ];
  return {
    title: 'Digitale Werkzeuge im Handwerk',
    topic: 'digitale Werkzeuge',
    region: 'baden-wuerttemberg',
    targetTrade: 'Handwerk',
    targetSize: '1-9',
    description:
      'Kleine Handwerksbetriebe probieren gemeinsam digitale Werkzeuge für Angebot, Auftrag und Baustelle aus: ' +
      'digitale Aufmaße, Fotodokumentation, Terminplanung und Rechnungen. Jeder Betrieb bringt eine eigene Frage mit ' +
      'und nimmt nach jedem Termin einen nächsten Schritt mit in den Alltag.',
    capacity: '12',
    experts: 'Dr. Jonas Berger; Digitalisierung im Handwerk; jonas.berger@experten.example',
    dates: dates.map((d) => ({ startsAt: `${berlinDay(now, d.days)}T${d.time}`, mode: d.mode, place: d.place })),
  };
}

/**
 * Demo data only (the component calls this when config.demoData is on, never in production): on a
 * database without any room, the demo Lotse opens "Digitale Werkzeuge im Handwerk". It goes through
 * the room form's schema and the service's `open`, so the same checks run as for a Lotse in the
 * browser (the certificate among them: the certificates' demo data, started before, gave her one).
 */
export async function seedDemoRoom(deps: { rooms: RoomsService['rooms']; repo: RoomRepository; demo: DemoPort; clock: Clock }): Promise<void> {
  if (await deps.repo.anyRoom()) return;
  const lotse = await deps.demo.lotse();
  if (!lotse) return;
  await deps.rooms.open(lotse, roomFormSchema.parse(demoRoomForm(deps.clock.now())));
}
