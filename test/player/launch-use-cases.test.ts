import { expect } from 'chai';
import type { PlayerService } from '../../src/player/service.ts';
import { DomainError } from '../../src/shared/errors.ts';
import { cmi5Package, scorm12Package } from '../fixtures/player/packages.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { publishPackage } from './support.ts';

/** The refusal a use case throws, or a failure when it does not refuse. */
async function refusal(act: Promise<unknown>): Promise<DomainError> {
  const err = await act.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').to.be.instanceOf(DomainError);
  return err as DomainError;
}

/** The use cases of launching (src/player/launch/*, cmi5-fetch.ts) called as the routes call them, on the real database. */
describe('player: launch use cases', () => {
  let app: TestApp;
  let service: PlayerService;
  let scormModule: { id: string; slug: string };
  let scormVersionId: string;
  let cmi5Module: { id: string };
  let counter = 0;
  const learner = () => ({ id: `lernende-${++counter}`, name: `Lernende ${counter}` });
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    service = app.running.app.player.service;
    const scorm = await publishPackage(app, scorm12Package(), 'fall-scorm');
    scormModule = scorm.module;
    scormVersionId = scorm.version.id;
    cmi5Module = (await publishPackage(app, cmi5Package(''), 'fall-cmi5')).module;
  });
  after(async () => app.stop());

  describe('start-attempt', () => {
    it('resumes the open attempt, and with "new" ends it and starts the next one', async () => {
      const l = learner();
      const first = await service.startModule(l, scormModule.id, 'resume');
      expect((await service.startModule(l, scormModule.slug, 'resume')).id).to.equal(first.id);
      const second = await service.startModule(l, scormModule.id, 'new');
      expect(second.id).to.not.equal(first.id);
      expect(second.number).to.equal(2);
      expect((await app.running.app.player.repo.findAttempt(first.id))?.state).to.equal('ended');
      expect((await service.progressFor(l.id, [scormModule.slug]))[0]?.attempts).to.equal(2);
    });

    it('refuses a module that does not exist', async () => {
      expect((await refusal(service.startModule(learner(), 'gibt-es-nicht', 'resume'))).message).to.equal('player:errors.moduleNotFound');
    });

    it('starts a preview that counts for nobody: no attempt in the list, no progress record', async () => {
      const author = learner();
      const preview = await service.launchPreview(author, scormVersionId);
      expect(preview.preview).to.equal(true);
      expect(await app.running.app.player.repo.listAttempts(author.id, scormModule.id)).to.deep.equal([]);
      expect((await service.progressFor(author.id, [scormModule.slug]))[0]?.status).to.equal('not-attempted');
    });
  });

  describe('open-item and the content token', () => {
    it('opens the SCO with a token that opens this version’s files only, and marks the attempt open', async () => {
      const l = learner();
      const attempt = await service.startModule(l, scormModule.id, 'resume');
      const view = await service.openItem(l, attempt.id);
      expect(view.itemId).to.equal('sco1');
      expect(view.scorm?.cmi['cmi.core.entry']).to.equal('ab-initio');
      const token = /^\/content\/t\/([^/]+)\//.exec(view.contentUrl)![1]!;
      expect(view.scorm?.commitUrl).to.equal(`/api/player/scorm/${token}/commit`);
      expect(await service.verifyContentToken(token, scormVersionId)).to.equal(true);
      expect(await service.verifyContentToken(token, '0123456789abcdef01234567')).to.equal(false);
      expect(await service.verifyContentToken('kein-token', scormVersionId)).to.equal(false);
      expect((await app.running.app.player.repo.findAttempt(attempt.id))?.state).to.equal('open');
    });

    it('refuses somebody else’s attempt', async () => {
      const attempt = await service.startModule(learner(), scormModule.id, 'resume');
      expect((await refusal(service.openItem(learner(), attempt.id))).kind).to.equal('forbidden');
    });
  });

  describe('attempt-navigation', () => {
    it('sends an AU’s return without a login, or from somebody else’s attempt, to the dashboard', async () => {
      const owner = learner();
      const attempt = await service.startModule(owner, scormModule.id, 'resume');
      expect(await service.returnTarget(undefined, attempt.id, 'sco1')).to.equal('/dashboard');
      expect(await service.returnTarget(learner(), attempt.id, 'sco1')).to.equal('/dashboard');
      expect(await service.exitUrl(owner, attempt.id)).to.equal('/dashboard');
    });
  });

  describe('cmi5 fetch (§8.2)', () => {
    it('answers the fetch URL once with the auth token, then with error 1; an unknown one with error 2', async () => {
      const l = learner();
      const attempt = await service.startModule(l, cmi5Module.id, 'resume');
      const view = await service.openItem(l, attempt.id, undefined, app.url, app.contentOrigin);
      const fetchToken = new URL(new URL(view.contentUrl, app.contentOrigin).searchParams.get('fetch')!).pathname.split('/').pop()!;
      const first = await service.fetchAnswer(fetchToken);
      expect(first).to.have.property('auth-token').that.is.a('string').with.length.above(10);
      expect(await service.fetchAnswer(fetchToken)).to.deep.equal({ 'error-code': '1', 'error-text': 'The fetch URL has already been used.' });
      expect(await service.fetchAnswer('unbekannt')).to.deep.equal({ 'error-code': '2', 'error-text': 'Unknown fetch URL.' });
    });
  });

  describe('waivers by index (the cmi5 test suite)', () => {
    it('refuses a registration the player does not know', async () => {
      const err = await refusal(service.waiveByIndex({ id: 'admin' }, { registration: '00000000-0000-4000-8000-000000000000', auIndex: 0, reason: 'Test' }));
      expect(err.kind).to.equal('not-found');
    });
  });
});
