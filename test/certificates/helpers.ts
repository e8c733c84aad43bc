import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Eligibility, EligibilityPort } from '../../src/qualification/ports.ts';
import type { Agent, TestApp } from '../support/test-app.ts';
import { csrfFrom } from '../support/test-app.ts';

/** An RSA private key in a PEM file, as an operator would configure it (CERT_SIGNING_KEY_FILE). */
export async function writeSigningKey(dir: string, name: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(dir, `${name}.pem`);
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
}

export const COMPLETE: Pick<Eligibility, 'q1' | 'q2'> = {
  q1: [
    { moduleSlug: 'tools', title: 'Werkzeuge der Offensive Mittelstand', status: 'passed', score: 92 },
    { moduleSlug: 'technik', title: 'Technik und Digitalisierung', status: 'completed' },
    { moduleSlug: 'megatrends', title: 'Megatrends im Quartier', status: 'passed', score: 80 },
  ],
  q2: [
    {
      topic: 'beratung',
      title: 'Beratungspraxis',
      requiresQ1: true,
      attended: true,
      sessionTitle: 'Präsenztag Saarbrücken',
      date: new Date('2026-10-05T08:00:00Z'),
    },
    { topic: 'netzwerk', title: 'Netzwerke im Quartier', requiresQ1: false, attended: true },
  ],
};

/**
 * Stands in for the qualification service where a test needs a learner to be eligible without
 * walking the whole qualification (another component's service, not our database).
 */
export function standInEligibility(): EligibilityPort & { eligible: Set<string> } {
  const eligible = new Set<string>();
  const verified = { state: 'verified' as const };
  return {
    eligible,
    async eligibility(learnerId) {
      const prerequisites = { authorisation: verified, workshop: verified };
      if (eligible.has(learnerId)) return { learnerId, eligible: true, missing: [], prerequisites, ...COMPLETE };
      return {
        learnerId,
        eligible: false,
        prerequisites: { authorisation: verified, workshop: { state: 'pending' } },
        missing: [
          { code: 'workshop-not-verified', message: 'Der Nachweis über den Workshop ist noch nicht geprüft.', fixUrl: '/qualification/prerequisites' },
          { code: 'q2-topic-missing', message: 'Präsenztermin „Netzwerke im Quartier“ fehlt.', fixUrl: '/qualification/sessions' },
        ],
        q1: COMPLETE.q1,
        q2: COMPLETE.q2.map((s) => ({ ...s, attended: s.topic !== 'netzwerk' })),
      };
    },
  };
}

export async function postForm(agent: Agent, pagePath: string, action: string, body: Record<string, string>) {
  const token = csrfFrom((await agent.get(pagePath)).text);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: token, ...body });
}

export async function setIssueMode(admin: Agent, mode: 'automatic' | 'approval') {
  const res = await postForm(admin, '/admin/certificates', '/admin/certificates/settings', { issueMode: mode });
  if (res.status !== 303) throw new Error(`setting the issue mode failed: ${res.status}`);
}

/** Makes an eligible learner and has the certificate issued through the pages; returns code and JWT. */
export async function issuedLearner(app: TestApp, port: ReturnType<typeof standInEligibility>, name?: string) {
  const user = await app.createUser(['learner'], name ? { name } : {});
  port.eligible.add(user.id);
  const agent = app.agent();
  const { login } = await import('../support/test-app.ts');
  await login(agent, user.email, user.password);
  const res = await postForm(agent, '/certificates', '/certificates/request', {});
  if (res.status !== 303) throw new Error(`request failed: ${res.status} ${res.text.slice(0, 300)}`);
  const page = (await agent.get('/certificates')).text;
  const id = /\/certificates\/([a-f0-9]{24})\/pdf/.exec(page)?.[1];
  const code = /<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(page)?.[1];
  if (!id || !code) throw new Error('no certificate on the holder page');
  const jwt = (await getBytes(agent, `/certificates/${id}/credential.jwt`)).body.toString('utf8');
  return { user, agent, id, code, jwt };
}

/** GETs a response as raw bytes whatever its type (superagent only buffers types it knows). */
export function getBytes(agent: Agent, pagePath: string) {
  return agent
    .get(pagePath)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }) as unknown as Promise<{ status: number; headers: Record<string, string>; body: Buffer }>;
}
