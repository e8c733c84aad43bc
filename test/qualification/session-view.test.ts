import { expect } from 'chai';
import { DomainError } from '../../src/shared/errors.ts';
import { movableClock } from '../support/clock.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createSession, DAY, qualification, verifyPrerequisites } from './helpers.ts';

describe('qualification use cases: a session as one person sees it (real database)', () => {
  let app: TestApp;
  const clock = movableClock();
  const q = () => qualification(app).service;
  const asLearner = (id: string) => ({ id, roles: ['learner'] });
  before(async () => {
    app = await startTestApp({ clock });
  });
  afterEach(() => clock.reset());
  after(async () => app.stop());

  async function verifiedLearner() {
    const user = await app.createUser(['learner']);
    await verifyPrerequisites(app, user.id);
    return user;
  }

  it('shows the meeting link to registered participants and the session trainers only, with state and counts', async () => {
    const trainer = await app.createUser(['trainer']);
    const s = await createSession(app, { capacity: 1, trainerIds: [trainer.id] });
    const [seated, waiting, outsider] = await Promise.all([verifiedLearner(), verifiedLearner(), verifiedLearner()]);
    await q().registration.register(seated!.id, s.id);
    await q().registration.register(waiting!.id, s.id);

    const mine = await q().sessionView.one(asLearner(seated!.id), s.id);
    expect(mine.session).to.have.property('meetingLink', s.meetingLink);
    expect(mine.state).to.deep.equal({ status: 'registered' });
    expect(mine.counts).to.deep.equal({ participants: 1, waiting: 1 });
    expect(mine.topic?.key).to.equal(s.topic);

    const onTheList = await q().sessionView.one(asLearner(waiting!.id), s.id);
    expect(onTheList.session).not.to.have.property('meetingLink');
    expect(onTheList.state).to.deep.equal({ status: 'waiting', position: 1 });
    expect((await q().sessionView.one(asLearner(outsider!.id), s.id)).session).not.to.have.property('meetingLink');

    const trains = await q().sessionView.one({ id: trainer.id, roles: ['trainer'] }, s.id);
    expect(trains.trains).to.equal(true);
    expect(trains.session).to.have.property('meetingLink', s.meetingLink);
  });

  it('says a seat can be given up until the cancellation deadline and not after it, as cancel does', async () => {
    const s = await createSession(app, { cancellationDeadline: new Date(Date.now() + 15 * DAY) });
    const [early, late] = await Promise.all([verifiedLearner(), verifiedLearner()]);
    await q().registration.register(early!.id, s.id);
    await q().registration.register(late!.id, s.id);

    clock.travelTo(new Date(s.cancellationDeadline.getTime() - 60_000));
    expect((await q().sessionView.one(asLearner(early!.id), s.id)).cancellable).to.equal(true);
    await q().registration.cancel(early!.id, s.id);
    expect((await q().registration.stateOf(early!.id, s.id)).status).to.equal('none');

    clock.travelTo(new Date(s.cancellationDeadline.getTime() + 60_000));
    expect((await q().sessionView.one(asLearner(late!.id), s.id)).cancellable).to.equal(false);
    const refused = await q()
      .registration.cancel(late!.id, s.id)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refused).to.be.instanceOf(DomainError);
    expect((refused as DomainError).kind).to.equal('conflict');
    expect((await q().registration.stateOf(late!.id, s.id)).status).to.equal('registered');
  });

  it("lists on the page what would stop a registration before trying, and after a refusal the refusal's reasons instead", async () => {
    const s = await createSession(app);
    const newcomer = await app.createUser(['learner']);

    const before = await q().sessionView.page(asLearner(newcomer.id), s.id);
    expect(before.openGaps.map((g) => g.code)).to.deep.equal(['authorisation-missing', 'workshop-missing']);
    expect(before.reasons).to.equal(undefined);

    const reasons = [{ code: 'registration-closed' as const, message: 'Die Anmeldefrist ist abgelaufen.', fixUrl: '/sessions' }];
    const after = await q().sessionView.page(asLearner(newcomer.id), s.id, { reasons });
    expect(after.openGaps).to.deep.equal([]);
    expect(after.reasons).to.deep.equal(reasons);
  });

  it('lists upcoming sessions with the links only where asked for and allowed', async () => {
    const s = await createSession(app, { topic: 'reflecting-team', title: 'Reflecting Team – Liste' });
    const seated = await verifiedLearner();
    await q().registration.register(seated.id, s.id);

    const withLinks = (await q().sessionView.list(asLearner(seated.id), 'reflecting-team', { withLinks: true })).find((r) => r.session.id === s.id);
    expect(withLinks?.state).to.deep.equal({ status: 'registered' });
    expect(withLinks?.counts).to.deep.equal({ participants: 1, waiting: 0 });
    expect(withLinks?.session).to.have.property('meetingLink', s.meetingLink);
    const withoutLinks = (await q().sessionView.list(asLearner(seated.id), 'reflecting-team', { withLinks: false })).find((r) => r.session.id === s.id);
    expect(withoutLinks?.session).not.to.have.property('meetingLink');
  });

  it('gives the calendar file to a registered participant and refuses it to others with 403', async () => {
    const s = await createSession(app, { title: 'Kalender; mit Komma, und Semikolon' });
    const [seated, outsider] = await Promise.all([verifiedLearner(), verifiedLearner()]);
    await q().registration.register(seated!.id, s.id);

    const file = await q().sessionView.calendar(asLearner(seated!.id), s.id);
    expect(file.fileName).to.equal(`q2-termin-${s.id}.ics`);
    expect(file.ics).to.contain('BEGIN:VCALENDAR').and.to.contain('Kalender\\; mit Komma\\, und Semikolon');
    const refused = await q()
      .sessionView.calendar(asLearner(outsider!.id), s.id)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect((refused as DomainError).kind).to.equal('forbidden');
  });
});
