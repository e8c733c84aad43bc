import type { PrivacyComponent } from '../../src/privacy/component.ts';
import { accountsPeople } from '../../src/accounts/privacy.ts';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { postForm, setIssueMode } from '../certificates/helpers.ts';
import { commit, launch } from '../player/support.ts';
import { createSession, EVIDENCE_PDF, publishQ1Modules, Q1_MODULES } from '../qualification/helpers.ts';
import type { movableClock } from '../support/clock.ts';
import { login, type Agent, type TestApp } from '../support/test-app.ts';

/** The app's privacy component (src/app.ts builds it with every component's entry). */
export async function privacyOf(app: TestApp): Promise<PrivacyComponent> {
  return app.running.app.privacy;
}

export interface Person {
  agent: Agent;
  id: string;
  email: string;
  name: string;
}

export async function person(app: TestApp, roles: Array<'learner' | 'trainer' | 'admin'>, overrides: { name?: string; email?: string } = {}): Promise<Person> {
  const user = await app.createUser(roles, overrides);
  const agent = app.agent();
  const res = await login(agent, user.email, user.password);
  if (res.status !== 302) throw new Error(`login ${res.status}`);
  return { agent, id: user.id, email: user.email, name: user.name };
}

const TOPICS = ['experimentierraeume', 'netzwerk-community', 'reflecting-team'] as const;

/**
 * A learner who did everything the platform records (issue #18's "did everything"): consent, a
 * cohort, both prerequisites with an evidence file, verified; the three Q1 modules through the
 * player (SCORM commits → attempts, CMI data, progress, xAPI statements); a state document; three Q2
 * sessions registered for and attended; the certificate issued. A second learner shares cohort and
 * sessions, so that erasing the first can be shown to leave the second's records alone.
 */
export async function learnerWhoDidEverything(app: TestApp, clock: ReturnType<typeof movableClock>, who: { name: string; email: string }) {
  const privacy = await privacyOf(app);
  const moduleIds = await publishQ1Modules(app);
  const learner = await person(app, ['learner'], who);
  const other = await person(app, ['learner']);
  const trainer = await person(app, ['trainer']);
  const admin = await person(app, ['admin']);
  const q = app.running.app.qualification.service;
  await privacy.service.recordConsent(learner.id);
  const cohort = await q.planning.createCohort({
    name: 'Durchgang Saar 2026/1',
    region: 'saarland',
    trainerIds: [trainer.id],
    learnerIds: [learner.id, other.id],
  });

  // the Klassenzimmer (issue #20): a thread the other answered, one nobody answered, a reply, a chat message, a report
  const community = app.running.app.community.service;
  const classroom = `cohort-${cohort.id}`;
  const asLearner = { id: learner.id, roles: ['learner'] };
  const answered = await community.threads.create(asLearner, classroom, { title: 'Treffen am Montag?', markdown: 'Wer kommt **am Montag**?' });
  await community.threads.reply({ id: other.id, roles: ['learner'] }, answered.id, 'Ich komme.');
  await community.threads.create(asLearner, classroom, { title: 'Nur meine Frage', markdown: 'Ohne Antwort' });
  const othersThread = await community.threads.create({ id: other.id, roles: ['learner'] }, classroom, { title: 'Material', markdown: 'Hier die Folien' });
  await community.threads.reply(asLearner, othersThread.id, 'Danke!');
  const othersPost = (await community.threads.show(asLearner, othersThread.id)).posts[0]!;
  await community.threads.report(asLearner, othersPost.id, 'nur ein Test');
  await community.chat.send(asLearner, classroom, 'Guten Morgen zusammen');

  for (const p of [learner, other]) {
    const a = await postForm(p.agent, '/path/prerequisites', '/path/prerequisites/authorisation', {
      number: 'OM-2024-0815',
      date: '2024-05-02',
      partner: 'Partner Saar e. V.',
    });
    if (a.status !== 302) throw new Error(`authorisation ${a.status}`);
    const w = await postForm(p.agent, '/path/prerequisites', '/path/prerequisites/workshop', { workshopDate: '2024-06-10', place: 'Saarbrücken' });
    if (w.status !== 302) throw new Error(`workshop ${w.status}`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'evidence-'));
  const file = path.join(dir, 'nachweis.pdf');
  await writeFile(file, EVIDENCE_PDF);
  await q.prerequisites.attachEvidence(learner.id, 'authorisation', { path: file, originalName: 'Autorisierung Müller.pdf', done: async () => {} });
  await rm(dir, { recursive: true, force: true });
  for (const p of [learner, other]) {
    for (const kind of ['authorisation', 'workshop']) {
      const res = await postForm(trainer.agent, '/trainer/verifications', `/trainer/verifications/${p.id}/${kind}`, { decision: 'verified' });
      if (res.status !== 303) throw new Error(`verify ${res.status}`);
    }
  }

  for (const { slug } of Q1_MODULES) {
    for (const p of [learner, other]) {
      const { config } = await launch(p.agent, moduleIds.get(slug)!);
      const res = await commit(
        p.agent,
        config,
        1,
        { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '90', 'cmi.core.session_time': '0000:12:00.00', 'cmi.core.exit': '' },
        { terminate: true },
      );
      if ((res.body as { result?: boolean }).result !== true) throw new Error(`commit ${JSON.stringify(res.body)}`);
    }
  }
  await app.running.app.lrs.service.putDocument(
    {
      activityId: 'https://gezu-lotse.de/xapi/activities/notizen',
      agent: { objectType: 'Agent', name: learner.name, account: { homePage: app.running.ctx.publicUrl(), name: learner.id } },
      stateId: 'notizen',
    },
    { contentType: 'application/json', content: { notiz: `Meine Notiz, ${learner.name}` } },
  );

  // stored while the platform ran under another PUBLIC_URL: the account's homePage was different
  await app.running.app.lrs.service.storeStatements([
    {
      actor: { objectType: 'Agent', name: learner.name, account: { homePage: 'https://alt.lotse.example.de', name: learner.id } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'de-DE': 'erlebte' } },
      object: { objectType: 'Activity', id: 'https://gezu-lotse.de/xapi/activities/vor-dem-umzug' },
    },
  ]);

  const sessionIds: string[] = [];
  for (const topic of TOPICS) {
    const s = await createSession(app, { topic, title: `Q2 ${topic}`, trainerIds: [trainer.id] });
    sessionIds.push(s.id);
    for (const p of [learner, other]) {
      const reg = await postForm(p.agent, `/sessions/${s.id}`, `/sessions/${s.id}/register`, {});
      if (reg.status !== 302) throw new Error(`register ${reg.status} ${reg.text.slice(0, 200)}`);
    }
    clock.travelTo(s.startsAt);
    try {
      for (const p of [learner, other]) {
        const res = await postForm(trainer.agent, `/trainer/sessions/${s.id}`, `/trainer/sessions/${s.id}/attendance`, { learnerId: p.id, status: 'attended' });
        if (res.status !== 303) throw new Error(`attendance ${res.status}`);
      }
    } finally {
      clock.reset();
    }
  }
  // a reflection per Q2 session (one shared with a team the trainer formed, one comment), and an attachment
  await community.journals.formTeam({ id: trainer.id, roles: ['trainer'] }, cohort.id, { name: 'Team 1', memberIds: [learner.id, other.id] });
  const entry = await community.journals.write(asLearner, sessionIds[0]!, { markdown: 'Was ich mitnehme', sharing: 'team' });
  await community.journals.comment({ id: other.id, roles: ['learner'] }, entry.id, 'Danke fürs Teilen');
  await community.journals.comment(asLearner, entry.id, 'Gern');
  const attachmentDir = await mkdtemp(path.join(os.tmpdir(), 'attachment-'));
  const attachment = path.join(attachmentDir, 'folie.pdf');
  await writeFile(attachment, EVIDENCE_PDF);
  await community.files.upload(asLearner, classroom, {
    path: attachment,
    originalName: 'Folie.pdf',
    done: () => rm(attachmentDir, { recursive: true, force: true }),
  });
  await setIssueMode(admin.agent, 'automatic');
  const cert = await postForm(learner.agent, '/certificates', '/certificates/request', {});
  if (cert.status !== 303) throw new Error(`certificate ${cert.status} ${cert.text.slice(0, 300)}`);
  const page = (await learner.agent.get('/certificates')).text;
  const code = /<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(page)?.[1];
  if (!code) throw new Error('no certificate code');
  return {
    learner,
    other,
    trainer,
    admin,
    moduleIds,
    sessionIds,
    code,
    privacy,
    community: { classroom, answered: answered.id, othersThread: othersThread.id },
  };
}

/** Locks an account as the erasure's first step does (the people port of the app's accounts). */
export async function lockVia(app: TestApp, id: string): Promise<void> {
  await accountsPeople(app.running.app.accounts.service, app.running.connection).lock(id);
}
