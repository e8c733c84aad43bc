// Domain types shared by the loader, the page renderers and the manifest writers.
import type { Check, ModuleYaml, Quiz } from './schema.ts';

export type PackageFormat = 'cmi5' | 'scorm2004' | 'scorm12';
export const PACKAGE_FORMATS: readonly PackageFormat[] = ['cmi5', 'scorm2004', 'scorm12'];

/** One lesson as read from content/<module>/lessons/NN-slug.md. */
export interface LessonSource {
  file: string;
  id: string;
  title: string;
  minutes: number;
  /** Markdown body without the front matter. */
  markdown: string;
}

/** A file copied verbatim into every package (diagrams under assets/). */
export interface AssetFile {
  name: string;
  content: Buffer;
}

/** Everything the build needs from one module folder, already validated. */
export interface ModuleSource {
  dir: string;
  meta: ModuleYaml;
  lessons: LessonSource[];
  quiz: Quiz;
  assets: AssetFile[];
}

/** A lesson after Markdown rendering. */
export interface RenderedLesson {
  id: string;
  title: string;
  minutes: number;
  /** Body HTML including the knowledge-check forms. */
  html: string;
  checks: Array<{ id: string; check: Check }>;
  /** h2 headings (id + text); the runtime stores the last one read as the resume location. */
  headings: Array<{ id: string; text: string }>;
  /** First paragraph as plain text; used as the AU/SCO description. */
  summary: string;
  words: number;
}

export interface BuiltPackage {
  module: string;
  format: PackageFormat;
  path: string;
}
