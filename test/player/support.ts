import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writePackage } from '../fixtures/content/packages.ts';
import { csrfFrom, type Agent, type TestApp } from '../support/test-app.ts';

/** Imports and publishes a package built by a fixture; returns the module. */
export async function publishPackage(app: TestApp, files: Record<string, string | Buffer>, slug: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'player-pkg-'));
  const file = await writePackage(dir, slug, files);
  const { module, version } = await app.running.app.content.service.importPackage(file, { moduleTitle: slug, moduleSlug: slug, publish: true });
  return { module, version };
}

export interface PlayerConfig {
  /** What the player frames: the SCORM adapter page or the package itself, on the content origin. */
  frameUrl: string;
  contentOrigin: string;
  /** The package's launch URL on the content origin (for a SCO: what the adapter page frames). */
  contentUrl: string;
  ownWindow: boolean;
  navBase: string;
  itemId: string;
  scorm: { version: '1.2' | '2004'; commitUrl: string; cmi: Record<string, string> } | null;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The player page's configuration (data-config). */
export function configOf(html: string): PlayerConfig {
  const m = /data-config="([^"]*)"/.exec(html);
  if (!m) throw new Error(`no player config in page: ${html.slice(0, 300)}`);
  const config = JSON.parse(unescapeHtml(m[1]!)) as Omit<PlayerConfig, 'contentUrl'>;
  const frame = new URL(config.frameUrl);
  const contentUrl = config.scorm && frame.pathname === '/frame/scorm' ? `${frame.origin}${frame.searchParams.get('src')}` : config.frameUrl;
  return { ...config, contentUrl };
}

/** Presses the dashboard button of a module; returns the attempt id and the player page's config. */
export async function launch(agent: Agent, moduleId: string, mode: 'resume' | 'new' = 'resume', item?: string) {
  const dash = await agent.get('/dashboard');
  if (dash.status !== 200) throw new Error(`dashboard ${dash.status}`);
  const start = await agent
    .post(`/player/modules/${moduleId}/start`)
    .type('form')
    .send({ _csrf: csrfFrom(dash.text), mode });
  if (start.status !== 303) throw new Error(`start ${start.status}: ${start.text.slice(0, 300)}`);
  const attemptId = /\/player\/attempts\/([a-f0-9]{24})/.exec(start.headers.location as string)![1]!;
  const page = await agent.get(`/player/attempts/${attemptId}${item ? `?item=${encodeURIComponent(item)}` : ''}`);
  if (page.status !== 200) throw new Error(`player page ${page.status}: ${page.text.slice(0, 300)}`);
  return { attemptId, config: configOf(page.text), html: page.text };
}

/** Sends a commit as scorm-again does (JSON by default, text/plain for the beacon). */
export async function commit(
  agent: Agent,
  config: PlayerConfig,
  seq: number,
  cmi: Record<string, string>,
  opts: { terminate?: boolean; beacon?: boolean } = {},
) {
  const body = JSON.stringify({ seq, terminate: Boolean(opts.terminate), cmi });
  return agent
    .post(config.scorm!.commitUrl)
    .set('Content-Type', opts.beacon ? 'text/plain;charset=UTF-8' : 'application/json')
    .send(body);
}
