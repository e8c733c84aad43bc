/*
 * scorm-again's package index re-exports its declarations without file extensions, which NodeNext
 * resolution cannot follow: the sequencing settings come from their declaration file directly, and
 * the part of the API the server uses is typed here by hand.
 */
export type { ActivitySettings, NavigationValidityUpdate, SequencingSettings } from '../../../node_modules/scorm-again/dist/types/types/sequencing_types.d.ts';

/** The part of Scorm2004API the server's engine uses, headless (no commits, no browser). */
export interface HeadlessApi {
  Initialize(p: string): string;
  Terminate(p: string): string;
  SetValue(element: string, value: string): string;
  GetLastError(): string;
  reset(): void;
  cmi: unknown;
  getSequencingService(): SequencingService | null;
  applyCurrentActivityLaunchData(): void;
  serializeSequencingState(): string;
  deserializeSequencingState(state: string): boolean;
  restoreGlobalObjectiveSnapshot(snapshot: Record<string, unknown>): void;
  restoreSharedDataSnapshot(snapshot: Record<string, string>): void;
  captureSharedDataSnapshot(): Record<string, string> | undefined;
}
/** An activity of the tree (scorm-again's Activity), as far as the engine reads it. */
export interface Activity {
  id: string;
  title: string;
  children: Activity[];
  isActive: boolean;
  isSuspended: boolean;
  isVisible: boolean;
  completionStatus: string;
  successStatus: string;
  getAvailableChildren(): Activity[];
}
export interface SequencingService {
  processNavigationRequest(request: string, target?: string): boolean;
  getOverallSequencingProcess(): unknown;
  getSequencingState(): { currentActivity: Activity | null; rootActivity: Activity | null; lastSequencingResult: unknown };
  setEventListeners(listeners: Record<string, (...args: never[]) => void>): void;
  updateConfiguration(config: { now: () => Date }): void;
}
