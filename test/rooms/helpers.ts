import { standInEligibility } from '../certificates/helpers.ts';
import { outbox } from '../qualification/helpers.ts';
import { movableClock } from '../support/clock.ts';
import { csrfFrom, csrfToken, login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

export const WEEK = 7 * 24 * 3600_000;

export interface Person {
  id: string;
  name: string;
  email: string;
  password: string;
  agent: Agent;
  csrf: string;
}

/** yyyy-mm-ddThh:mm in German time, as <input type="datetime-local"> sends it. */
export function localInput(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The room form as the browser sends it; `dates` dates one week apart from next week on. */
export function roomForm(overrides: Record<string, string> = {}, dates = 4, from = new Date()): Record<string, string> {
  const form: Record<string, string> = {
    title: 'Datenschutz im Betrieb',
    topic: 'Datenschutz',
    region: 'saarland',
    targetTrade: 'Handwerk',
    targetSize: '10-49',
    description: 'Betriebe teilen ihre Praxis beim Datenschutz.',
    capacity: '10',
    experts: 'Dr. Erika Expertin; Datenschutzrecht; erika@experten.example',
  };
  for (let i = 0; i < dates; i++) {
    form[`dates[${i}][startsAt]`] = localInput(new Date(from.getTime() + (i + 1) * WEEK));
    form[`dates[${i}][mode]`] = i % 2 ? 'virtuell' : 'vor-ort';
    form[`dates[${i}][place]`] = i % 2 ? 'https://meet.example.org/raum' : 'Handwerkskammer, Hohenzollernstraße 47, 66117 Saarbrücken';
  }
  return { ...form, ...overrides };
}

/**
 * The app with a movable clock and a stand-in for eligibility, so Lotsen can be certified without
 * walking the qualification; the certificates themselves are issued (and revoked) for real.
 */
export async function buildRooms() {
  const clock = movableClock();
  const eligibility = standInEligibility();
  const app = await startTestApp({ clock, standIns: { eligibility } });
  const certificates = app.running.app.certificates.service;
  const person = async (name: string, roles: Array<'learner' | 'admin' | 'trainer'> = ['learner']): Promise<Person> => {
    const u = await app.createUser(roles, { name });
    const agent = app.agent();
    const res = await login(agent, u.email, u.password);
    if (res.status !== 302) throw new Error(`login of ${name} failed: ${res.status}`);
    return { id: u.id, name, email: u.email, password: u.password, agent, csrf: await csrfToken(agent, '/profile') };
  };
  const certify = async (p: Person) => {
    eligibility.eligible.add(p.id);
    return certificates.issue(p.id, 'system');
  };
  const lotse = await person('Lea Lotsin');
  await certify(lotse);
  const colotse = await person('Carl Co-Lotse');
  await certify(colotse);
  const learner = await person('Ulla Unzertifiziert');
  const revoked = await person('Rolf Widerrufen');
  const admin = await person('Ada Admin', ['admin']);
  const cert = await certify(revoked);
  await certificates.revoke(admin.id, cert.id, 'Test: widerrufen');
  return { app, clock, lotse, colotse, learner, revoked, admin };
}
export type RoomsWorld = Awaited<ReturnType<typeof buildRooms>>;

/** Posts a form with the person's CSRF token. */
export const post = (p: Person, path: string, body: Record<string, string | string[]> = {}) =>
  p.agent
    .post(path)
    .type('form')
    .send({ _csrf: p.csrf, ...body });

/** Opens a room through the form and returns its id (from the redirect). */
export async function openRoom(p: Person, overrides: Record<string, string> = {}, dates = 4): Promise<string> {
  const res = await post(p, '/experimentierraeume', roomForm(overrides, dates));
  if (res.status !== 303) throw new Error(`open room: ${res.status} ${res.text.slice(0, 500)}`);
  return /\/experimentierraeume\/([a-f0-9]{24})$/.exec(res.headers.location as string)![1]!;
}

/** The shareable link of a room (made by the lead). */
export async function shareLink(lead: Person, roomId: string): Promise<string> {
  await post(lead, `/experimentierraeume/${roomId}/einladungen/link`, { action: 'renew' });
  const page = (await lead.agent.get(`/experimentierraeume/${roomId}/einladungen`)).text;
  const m = /value="https?:\/\/[^"]*(\/experimentierraeume\/einladung\/[A-Za-z0-9_-]+)"/.exec(page);
  if (!m) throw new Error('no link on the invitations page');
  return m[1]!;
}

/** The invitation link in the last mail to `email`. */
export async function mailedLink(app: TestApp, email: string): Promise<{ path: string; text: string; subject: string }> {
  const mails = (await outbox(app)).filter((m) => m.to === email);
  const mail = mails[mails.length - 1];
  const m = mail && /https?:\/\/\S+(\/experimentierraeume\/einladung\/[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!mail || !m) throw new Error(`no invitation mail to ${email}`);
  return { path: m[1]!, text: mail.text, subject: mail.subject };
}

export interface GuestData {
  name: string;
  email: string;
  company: string;
  companyRole?: string;
  trade: string;
  companySize: string;
}

/** Registers as a guest through an invitation path; returns the signed-in guest (or the refusal). */
export async function registerGuest(app: TestApp, path: string, g: GuestData, consent = true) {
  const agent = app.agent();
  const page = await agent.get(path);
  if (page.status !== 200) return { res: page, guest: undefined };
  const password = 'Gastpasswort-123';
  const res = await agent
    .post(path)
    .type('form')
    .send({
      _csrf: page.text.includes('name="_csrf"') ? csrfFrom(page.text) : await csrfToken(agent, '/login'),
      companyRole: '',
      ...g,
      password,
      passwordConfirm: password,
      ...(consent ? { privacyNotice: 'yes' } : {}),
    });
  if (res.status !== 303) return { res, guest: undefined };
  const csrf = await csrfToken(agent, '/profile');
  const users = await app.running.app.accounts.service.findUsersByEmails([g.email]);
  const guest: Person = { id: users[0]!.id, name: g.name, email: g.email, password, agent, csrf };
  return { res, guest };
}

/** A room of the world's Lotse (co-moderated by the co-Lotse) with two companies joined by link. */
export async function roomWithGuests(w: RoomsWorld, overrides: Record<string, string> = {}) {
  const roomId = await openRoom(w.lotse, { coModeratorEmails: w.colotse.email, ...overrides });
  const path = await shareLink(w.lotse, roomId);
  const suffix = roomId.slice(-6);
  const bauer = (
    await registerGuest(w.app, path, {
      name: 'Bernd Bauer',
      email: `bauer-${suffix}@tischlerei.example`,
      company: 'Tischlerei Bauer',
      companyRole: 'Inhaber',
      trade: 'Tischlerhandwerk',
      companySize: '1-9',
    })
  ).guest!;
  const meyer = (
    await registerGuest(w.app, path, {
      name: 'Mara Meyer',
      email: `meyer-${suffix}@elektro.example`,
      company: 'Meyer Elektro GmbH',
      trade: 'Elektrohandwerk',
      companySize: '10-49',
    })
  ).guest!;
  const dateKeys = (
    (await w.lotse.agent.get(`/api/experimentierraeume/${roomId}`).set('Accept', 'application/json')).body as { dates: Array<{ key: string }> }
  ).dates.map((d) => d.key);
  return { roomId, bauer, meyer, dateKeys };
}
