/// <reference lib="dom" />
// cmi5 tracking with the @xapi/cmi5 client. cmi5 allows at most one
// "completed" and one "passed" per registration and one passed/failed per
// session, so the adapter remembers what it already sent in an xAPI State
// document (together with the resume location) and skips duplicates.
import * as cmi5Package from '@xapi/cmi5';
import { type ChoiceInteraction } from './interaction.ts';
import { createOfflineAdapter, type TrackingAdapter } from './tracking.ts';

const STATE_ID = 'https://gezu-lotse.de/xapi/state/progress';

interface ProgressDocument {
  location?: string;
  suspendData?: string;
  completed?: boolean;
  passed?: boolean;
}

function asProgress(value: unknown): ProgressDocument {
  if (typeof value === 'string') {
    try {
      return asProgress(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value && typeof value === 'object' ? (value as ProgressDocument) : {};
}

// @xapi/cmi5 has no "type": "module", so under NodeNext TypeScript sees its types
// as CommonJS and puts the class at `.default.default`; esbuild bundles the ES
// module build, where it is `.default`. Resolve whichever is present.
type Cmi5Class = typeof cmi5Package.default.default;
const exported: unknown = cmi5Package.default;
const Cmi5 = ((exported as { default?: Cmi5Class }).default ?? exported) as Cmi5Class;

/**
 * A version 4 UUID (RFC 4122 §4.4) from getRandomValues: crypto.randomUUID exists only in secure
 * contexts, and the platform may be opened over plain http under a LAN name.
 */
function statementId(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function createCmi5Adapter(): TrackingAdapter {
  // Opened without launch parameters (preview, local file): work without tracking.
  if (!Cmi5.isCmiAvailable) return createOfflineAdapter();
  const cmi5 = Cmi5.instance;

  let started = false;
  let terminated = false;
  let normalMode = false;
  let resultSentThisSession = false;
  let progress: ProgressDocument = {};

  const stateParams = () => {
    const launch = cmi5.getLaunchParameters();
    return { agent: launch.actor, activityId: launch.activityId, registration: launch.registration, stateId: STATE_ID };
  };
  const readProgress = async (): Promise<ProgressDocument> => {
    try {
      const response = await cmi5.xapi?.getState(stateParams());
      return asProgress(response?.data);
    } catch {
      return {}; // 404 on first launch
    }
  };
  const writeProgress = async (): Promise<void> => {
    await cmi5.xapi?.setState({ ...stateParams(), state: { ...progress } });
  };
  const de = (text: string) => ({ 'de-DE': text });
  /**
   * "answered" with result.response/success/duration and the interaction definition (choices,
   * correctResponsesPattern, xAPI 1.0.3 §2.4.4.1.1): "cmi5 allowed" statements (§9.6.2) in the
   * context template (§10.2.2: session id, publisher grouping), the AU as parent, no cmi5 category.
   * All answers of a form go in one POST: a learner who leaves right after the result must not
   * lose some of them, and the judgement statements that follow are not held up by ten requests.
   */
  const answeredStatements = (list: readonly ChoiceInteraction[]) => {
    const launch = cmi5.getLaunchParameters();
    const template = cmi5.getLaunchData().contextTemplate;
    return list.map((i) => ({
      // cmi5 9.1.0.0-1: an AU gives every statement its id (the LMS refuses statements without one)
      id: statementId(),
      actor: launch.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'de-DE': 'beantwortet', 'en-US': 'answered' } },
      object: {
        objectType: 'Activity' as const,
        id: `${launch.activityId}/test/${encodeURIComponent(i.group)}/question/${encodeURIComponent(i.questionId)}`,
        definition: {
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          name: de(i.question),
          description: de(i.question),
          interactionType: 'choice' as const,
          correctResponsesPattern: [i.correct.join('[,]')],
          choices: i.choices.map((c) => ({ id: c.id, description: de(c.text) })),
        },
      },
      result: {
        response: i.response.join('[,]'),
        success: i.success,
        duration: `PT${(Math.max(0, i.answeredAt.getTime() - i.shownAt.getTime()) / 1000).toFixed(2)}S`,
      },
      context: {
        ...template,
        registration: launch.registration,
        contextActivities: { ...template.contextActivities, parent: [{ objectType: 'Activity' as const, id: launch.activityId }] },
      },
      timestamp: i.answeredAt.toISOString(),
    }));
  };
  const score = (scaled: number) => ({ scaled, raw: Math.round(scaled * 100), min: 0, max: 100 });

  return {
    async start() {
      try {
        await cmi5.initialize();
      } catch {
        return {
          connected: false,
          hint: 'Die Verbindung zur Lernplattform ist fehlgeschlagen. Bitte starten Sie die Lerneinheit erneut über die Lernplattform; Ihr Fortschritt wird sonst nicht gespeichert.',
        };
      }
      started = true;
      const launchData = cmi5.getLaunchData();
      normalMode = launchData.launchMode === 'Normal';
      progress = await readProgress();
      return {
        connected: true,
        readOnly: !normalMode,
        hint: normalMode ? undefined : 'Ansichtsmodus: In diesem Modus speichert die Lernplattform keine Ergebnisse.',
        location: progress.location,
        suspendData: progress.suspendData,
        masteryScore: launchData.masteryScore,
        returnUrl: launchData.returnURL,
        alreadyCompleted: progress.completed === true,
        alreadyPassed: progress.passed === true,
        oneResultPerSession: true,
      };
    },
    async saveLocation(location, suspendData) {
      if (!started || terminated) return;
      progress = { ...progress, location, suspendData };
      await writeProgress();
    },
    async complete() {
      if (!started || terminated || !normalMode || progress.completed) return;
      await cmi5.complete();
      progress = { ...progress, completed: true };
      await writeProgress();
    },
    async pass(scaled) {
      if (!started || terminated || !normalMode || resultSentThisSession || progress.passed) return false;
      await cmi5.pass(score(scaled));
      resultSentThisSession = true;
      progress = { ...progress, passed: true };
      await writeProgress();
      return true;
    },
    async fail(scaled) {
      if (!started || terminated || !normalMode || resultSentThisSession || progress.passed) return false;
      await cmi5.fail(score(scaled));
      resultSentThisSession = true;
      return true;
    },
    async answer(list) {
      if (!started || terminated) return;
      if (list.length === 0) return;
      await cmi5.xapi?.sendStatements({ statements: answeredStatements(list) });
    },
    async finish() {
      if (!started || terminated) return;
      terminated = true;
      await cmi5.terminate();
    },
  };
}
