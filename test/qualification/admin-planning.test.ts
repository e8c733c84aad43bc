import { expect } from 'chai';
import { DomainError } from '../../src/shared/errors.ts';
import type { Q2Session, SessionInput } from '../../src/qualification/session-repository.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createSession, qualification, verifyPrerequisites } from './helpers.ts';

/** The refusal a call ends in (fails the test when it does not refuse). */
async function refusalOf(call: Promise<unknown>): Promise<DomainError> {
  const outcome = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome, 'the call should have been refused').to.be.instanceOf(DomainError);
  return outcome as DomainError;
}

const inputOf = ({ id: _id, ...input }: Q2Session): SessionInput => input;

describe("qualification use cases: the admin's session edits, cohorts and mentors named by e-mail (real database)", () => {
  let app: TestApp;
  const q = () => qualification(app).service;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  async function verifiedLearner(overrides: { email?: string } = {}) {
    const user = await app.createUser(['learner'], overrides);
    await verifyPrerequisites(app, user.id);
    return user;
  }

  describe('editSession', () => {
    it('lets the waiting learners onto the new seats, in their order, when an edit raises the capacity', async () => {
      const s = await createSession(app, { capacity: 1, title: 'Reflecting Team – knapp' });
      const [first, second, third, fourth] = await Promise.all([verifiedLearner(), verifiedLearner(), verifiedLearner(), verifiedLearner()]);
      for (const l of [first!, second!, third!, fourth!]) await q().registration.register(l.id, s.id);
      expect(await q().registration.counts(s.id)).to.deep.equal({ participants: 1, waiting: 3 });

      const edited = await q().adminPlanning.editSession(s.id, { ...inputOf(s), capacity: 3 });

      expect(edited.capacity).to.equal(3);
      expect(await q().registration.counts(s.id)).to.deep.equal({ participants: 3, waiting: 1 });
      expect((await q().registration.stateOf(second!.id, s.id)).status).to.equal('registered');
      expect((await q().registration.stateOf(third!.id, s.id)).status).to.equal('registered');
      expect(await q().registration.stateOf(fourth!.id, s.id)).to.deep.equal({ status: 'waiting', position: 1 });
    });

    it('moves nobody when the edit keeps the capacity, and refuses an unknown session with 404', async () => {
      const s = await createSession(app, { capacity: 1, title: 'Reflecting Team – voll' });
      const [a, b] = await Promise.all([verifiedLearner(), verifiedLearner()]);
      await q().registration.register(a!.id, s.id);
      await q().registration.register(b!.id, s.id);

      await q().adminPlanning.editSession(s.id, { ...inputOf(s), title: 'Reflecting Team – umbenannt' });

      expect(await q().registration.counts(s.id)).to.deep.equal({ participants: 1, waiting: 1 });
      expect((await refusalOf(q().adminPlanning.editSession('0123456789abcdef01234567', inputOf(s)))).kind).to.equal('not-found');
    });
  });

  describe('saveCohort', () => {
    it('takes learners by e-mail (any case, around spaces) together with ids, each once', async () => {
      const [a, b] = await Promise.all([app.createUser(['learner']), app.createUser(['learner'])]);
      const c = await q().adminPlanning.saveCohort(undefined, {
        name: 'Durchgang per E-Mail',
        region: 'saarland',
        trainerIds: [],
        learnerIds: [a.id],
        learnerEmails: [` ${a.email.toUpperCase()} `, b.email],
      });

      expect([...c.learnerIds].sort()).to.deep.equal([a.id, b.id].sort());
      expect((await q().planning.cohortOr404(c.id)).learnerIds).to.have.members([a.id, b.id]);
    });

    it('refuses unknown e-mails naming each of them on the field, and leaves the cohort as it was', async () => {
      const a = await app.createUser(['learner']);
      const c = await q().adminPlanning.saveCohort(undefined, {
        name: 'Durchgang unverändert',
        region: '',
        trainerIds: [],
        learnerIds: [a.id],
        learnerEmails: [],
      });

      const err = await refusalOf(
        q().adminPlanning.saveCohort(c.id, {
          name: 'Durchgang geändert',
          region: '',
          trainerIds: [],
          learnerIds: [],
          learnerEmails: [a.email, 'niemand@example.org', 'auch.niemand@example.org'],
        }),
      );

      expect(err.kind).to.equal('validation');
      expect(err.details.emails).to.equal('niemand@example.org, auch.niemand@example.org');
      expect(err.details.fields).to.deep.equal([{ field: 'learnerEmails', message: 'qualification:errors.unknownEmails' }]);
      const stored = await q().planning.cohortOr404(c.id);
      expect(stored.name).to.equal('Durchgang unverändert');
      expect(stored.learnerIds).to.deep.equal([a.id]);
    });
  });

  describe('assignMentor', () => {
    it('names learner and mentor by e-mail or by id, the same way', async () => {
      const [learner, mentor, admin] = await Promise.all([app.createUser(['learner']), app.createUser(['learner']), app.createUser(['admin'])]);

      expect(await q().adminPlanning.assignMentor(admin.id, { learnerEmail: learner.email.toUpperCase(), mentorEmail: mentor.email })).to.deep.equal({
        learnerId: learner.id,
        mentorId: mentor.id,
      });
      expect((await q().planning.mentorOf(learner.id))?.mentorId).to.equal(mentor.id);
      expect(await q().adminPlanning.assignMentor(admin.id, { learnerId: learner.id, mentorId: admin.id })).to.deep.equal({
        learnerId: learner.id,
        mentorId: admin.id,
      });
      expect((await q().planning.mentorOf(learner.id))?.mentorId).to.equal(admin.id);
    });

    it('refuses an e-mail without an account with 404 and assigns nothing', async () => {
      const [learner, admin] = await Promise.all([app.createUser(['learner']), app.createUser(['admin'])]);

      const err = await refusalOf(q().adminPlanning.assignMentor(admin.id, { learnerEmail: learner.email, mentorEmail: 'unbekannt@example.org' }));

      expect(err.kind).to.equal('not-found');
      expect(err.message).to.equal('qualification:errors.personNotFound');
      expect(await q().planning.mentorOf(learner.id)).to.equal(undefined);
    });
  });
});
