import { createSession, fakeProgress, qualification, verifyPrerequisites } from '../qualification/helpers.ts';
import { csrfToken, login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

export interface Member {
  id: string;
  name: string;
  agent: Agent;
  /** The session's CSRF token for JSON calls (X-CSRF-Token). */
  csrf: string;
  email: string;
  password: string;
}

/**
 * Two cohorts built through the qualification's services, on the real database:
 *  - Klassenzimmer A (trainer Tanja): Anna, Ali; Anna is registered for A's Q2 session, Ali is not;
 *    Anna has progress in Tools + Methoden, Ali in none; Mia is Anna's mentor (in no cohort)
 *  - Klassenzimmer B (trainer Tom): Berta
 *  - Otto belongs to nothing; Ada is an admin
 */
export async function buildCommunity(opts: { env?: Record<string, string> } = {}) {
  const progress = fakeProgress();
  const app = await startTestApp({ standIns: { progress }, env: opts.env });
  const q = qualification(app).service;
  const member = async (name: string, roles: Array<'learner' | 'trainer' | 'admin'> = ['learner']): Promise<Member> => {
    const u = await app.createUser(roles, { name });
    const agent = app.agent();
    const res = await login(agent, u.email, u.password);
    if (res.status !== 302) throw new Error(`login of ${name} failed: ${res.status}`);
    return { id: u.id, name, agent, csrf: await csrfToken(agent, '/profile'), email: u.email, password: u.password };
  };
  const tanja = await member('Tanja Trainerin', ['trainer']);
  const tom = await member('Tom Trainer', ['trainer']);
  const anna = await member('Anna Arendt');
  const ali = await member('Ali Aydin');
  const berta = await member('Berta Brandt');
  const mia = await member('Mia Mentorin');
  const otto = await member('Otto Außen');
  const ada = await member('Ada Admin', ['admin']);
  const cohortA = await q.planning.createCohort({ name: 'Saar A', region: 'saarland', trainerIds: [tanja.id], learnerIds: [anna.id, ali.id] });
  const cohortB = await q.planning.createCohort({ name: 'Pfalz B', region: 'saarland', trainerIds: [tom.id], learnerIds: [berta.id] });
  const session = await createSession(app, { title: 'Reflecting Team A', cohortId: cohortA.id });
  await verifyPrerequisites(app, anna.id);
  const reg = await q.registration.register(anna.id, session.id);
  if (reg.status !== 'registered') throw new Error(`registration: ${JSON.stringify(reg)}`);
  await q.planning.assignMentor(ada.id, anna.id, mia.id);
  progress.set(anna.id, 'tools-methoden', 'in-progress');
  return {
    app,
    progress,
    people: { tanja, tom, anna, ali, berta, mia, otto, ada },
    cohortA,
    cohortB,
    session,
    keys: {
      a: `cohort-${cohortA.id}`,
      b: `cohort-${cohortB.id}`,
      session: `session-${session.id}`,
      tools: 'module-tools-methoden',
      lotsen: 'lotsen',
      mentor: `mentor-${anna.id}`,
    },
  };
}
export type CommunityWorld = Awaited<ReturnType<typeof buildCommunity>>;

/** Posts a new thread through the form and returns its id (from the redirect). */
export async function newThread(m: Member, key: string, title: string, markdown: string): Promise<string> {
  const res = await m.agent.post(`/community/spaces/${key}/threads`).type('form').send({ _csrf: m.csrf, title, markdown });
  if (res.status !== 303) throw new Error(`new thread: ${res.status} ${res.text.slice(0, 300)}`);
  return /\/community\/threads\/([a-f0-9]{24})/.exec(res.headers.location as string)![1]!;
}

export async function reply(m: Member, threadId: string, markdown: string) {
  return m.agent.post(`/community/threads/${threadId}/replies`).type('form').send({ _csrf: m.csrf, markdown });
}

export async function sendChat(m: Member, key: string, text: string) {
  return m.agent.post(`/api/community/spaces/${key}/chat`).set('X-CSRF-Token', m.csrf).set('Accept', 'application/json').send({ text });
}

/** The session cookie of an agent, for a raw fetch (SSE streams). */
function cookieOf(agent: Agent, url: string): string {
  const jar = (
    agent as unknown as { jar: { getCookies(a: { domain: string; path: string; secure: boolean; script: boolean }): Array<{ toValueString(): string }> } }
  ).jar;
  const u = new URL(url);
  return jar
    .getCookies({ domain: u.hostname, path: '/', secure: false, script: false })
    .map((c) => c.toValueString())
    .join('; ');
}

export interface SseEvent {
  event: string;
  id: string;
  data: unknown;
}

/** Opens the chat's event stream as a browser's EventSource would; collects events until closed. */
export async function openStream(app: TestApp, m: Member, key: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(`${app.url}/api/community/spaces/${key}/chat/stream`, {
    headers: { cookie: cookieOf(m.agent, app.url), accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let ended: Promise<void> = Promise.resolve();
  if (res.ok && res.body) {
    ended = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const e: SseEvent = { event: 'message', id: '', data: undefined };
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) e.event = line.slice(6).trim();
              else if (line.startsWith('id:')) e.id = line.slice(3).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (!data) continue;
            e.data = JSON.parse(data);
            events.push(e);
            for (const w of waiters.splice(0)) w();
          }
        }
      } catch {
        // aborted
      }
    })();
  } else {
    await res.text().catch(() => '');
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    events,
    /** Waits until `n` events arrived or the time is up; returns the events so far. */
    async waitFor(n: number, ms = 2000): Promise<SseEvent[]> {
      const until = Date.now() + ms;
      while (events.length < n && Date.now() < until) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, Math.max(1, until - Date.now()));
        });
      }
      return events;
    },
    /** Resolves when the server ended the stream (or after `ms`, with false). */
    ended: (ms: number) => Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]),
    close: () => controller.abort(),
  };
}
