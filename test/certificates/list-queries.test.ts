import { expect } from 'chai';
import { countPageCommands, expectBounded, numbered } from '../support/query-count.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { standInEligibility } from './helpers.ts';

describe("certificates: the trainer's and the admin's lists cost the same number of queries for 50 rows as for one", () => {
  let app: TestApp;
  let admin: Agent;
  const port = standInEligibility();
  before(async () => {
    app = await startTestApp({ standIns: { eligibility: port } });
    admin = (await app.loggedIn(['admin'])).agent;
  });
  after(async () => app.stop());
  const certificates = () => app.running.app.certificates.service;
  const eligibleLearner = async (prefix: string, i: number) => {
    const user = await app.createUser(['learner'], { name: numbered(prefix, i) });
    port.eligible.add(user.id);
    return user.id;
  };

  it('lists 50 requests on /trainer/certificates with as many queries as for one', async () => {
    const { agent: trainer, user } = await app.loggedIn(['trainer']);
    // trainers handle the requests of their cohort's learners
    const planning = app.running.app.qualification.service.planning;
    const cohort = await planning.createCohort({ name: 'Durchgang Anträge', region: 'saarland', trainerIds: [user.id], learnerIds: [] });
    const requesters: string[] = [];
    const request = async (i: number) => {
      requesters.push(await eligibleLearner('Antragsteller', i));
      await planning.updateCohort(cohort.id, { learnerIds: requesters });
      await certificates().request(requesters.at(-1)!);
    };
    await request(1);
    const one = await countPageCommands(app, trainer, '/trainer/certificates');
    for (let i = 2; i <= 50; i++) await request(i);
    const many = await countPageCommands(app, trainer, '/trainer/certificates');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text).to.include(numbered('Antragsteller', i));
  });

  it('lists 50 issued certificates on /admin/certificates with as many queries as for one', async () => {
    const issue = async (i: number) => certificates().issue(await eligibleLearner('Zertifizierte', i), 'test-admin');
    await issue(1);
    const one = await countPageCommands(app, admin, '/admin/certificates');
    for (let i = 2; i <= 50; i++) await issue(i);
    const many = await countPageCommands(app, admin, '/admin/certificates');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text).to.include(numbered('Zertifizierte', i));
  });
});
