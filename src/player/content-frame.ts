import { fileURLToPath } from 'node:url';
import type { LaunchView } from './launch/launch-views.ts';

/** The SCORM adapter page on the content origin (scorm-frame-routes.ts). */
export const SCORM_FRAME_PATH = '/frame/scorm';

/**
 * The content frame's sandbox. Safe with allow-same-origin because the frame's origin is the content
 * origin, never ours: it keeps that origin's storage and may script its own nested frames (the SCORM
 * adapter page frames the package). No allow-top-navigation: it cannot replace the player page.
 */
export const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads';

/** The sandbox fallback (CONTENT_ISOLATION=sandbox): on our origin, so never allow-same-origin. */
const OPAQUE_SANDBOX = FRAME_SANDBOX.replace(' allow-same-origin', '');

/**
 * What the player page frames (or opens): the launch on the content origin, and the origin its
 * messages come from. In the sandbox fallback the SCO is framed directly (its page gets the adapter
 * injected, see scormPageAdapter) and its messages come from an opaque origin, "null".
 */
export function contentFrame(
  view: Pick<LaunchView, 'contentUrl' | 'scorm'>,
  contentOrigin: string,
  sandboxed = false,
): { url: string; origin: string; sandbox: string } {
  const packageUrl = view.contentUrl;
  if (sandboxed) return { url: packageUrl.startsWith('/') ? `${contentOrigin}${packageUrl}` : packageUrl, origin: 'null', sandbox: OPAQUE_SANDBOX };
  // a SCO gets the adapter page first: it defines the API object the package looks for in its parents
  const url = !packageUrl.startsWith('/')
    ? packageUrl
    : view.scorm
      ? `${contentOrigin}${SCORM_FRAME_PATH}?${new URLSearchParams({ api: view.scorm.version, src: packageUrl }).toString()}`
      : `${contentOrigin}${packageUrl}`;
  return { url, origin: contentOrigin, sandbox: FRAME_SANDBOX };
}

const scormAgainDist = (file: string) => fileURLToPath(new URL(`../../node_modules/scorm-again/dist/${file}`, import.meta.url));
/** The adapter page's scripts, served from /adapter/<name> on the content origin. */
export const ADAPTER_FILES: Record<string, string> = {
  'scorm-again.js': scormAgainDist('scorm-again.min.js'),
  'cross-frame-api.js': scormAgainDist('cross-frame-api.min.js'),
  'scorm-frame.js': fileURLToPath(new URL('../../views/static/player/scorm-frame.js', import.meta.url)),
};

/**
 * In the sandbox fallback every package document has an opaque origin of its own, so an adapter page
 * cannot hand window.API to the SCO's frame: SCORM pages get the adapter's scripts first in their head.
 */
export const scormPageAdapter = (format: string): string | undefined =>
  format === 'scorm12' || format === 'scorm2004'
    ? Object.keys(ADAPTER_FILES)
        .map((f) => `<script src="/adapter/${f}"></script>`)
        .join('')
    : undefined;
