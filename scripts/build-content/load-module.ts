// Reads one content/<module>/ folder into a validated ModuleSource.
// All structural errors (missing files, bad YAML, wrong answer counts) throw here,
// before anything is rendered or zipped.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { splitFrontMatter } from './front-matter.ts';
import { lessonFrontMatterSchema, moduleSchema, parseOrThrow, quizSchema } from './schema.ts';
import type { AssetFile, LessonSource, ModuleSource } from './types.ts';

async function readYaml(file: string): Promise<unknown> {
  const source = await readFile(file, 'utf8');
  try {
    return parseYaml(source, { prettyErrors: true });
  } catch (error) {
    throw new Error(`${file}: YAML-Fehler\n${(error as Error).message}`, { cause: error });
  }
}

async function loadLesson(dir: string, fileName: string): Promise<LessonSource> {
  const file = path.join(dir, 'lessons', fileName);
  const { data, body } = splitFrontMatter(await readFile(file, 'utf8'), file);
  const fm = parseOrThrow(lessonFrontMatterSchema, data, file);
  return { file, id: fm.id, title: fm.title, minutes: fm.minutes, markdown: body };
}

// SVGs are the only assets authors add; each must carry <title> and <desc>
// so screen readers can announce the diagram (WCAG 1.1.1).
async function loadAssets(dir: string): Promise<AssetFile[]> {
  const assetDir = path.join(dir, 'assets');
  let names: string[];
  try {
    names = await readdir(assetDir);
  } catch {
    return [];
  }
  const assets: AssetFile[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    if (!/^[a-z0-9-]+\.(svg|png|jpg|webp)$/.test(name)) {
      throw new Error(`${path.join(assetDir, name)}: Dateiname nur mit a–z, 0–9, Bindestrich (svg, png, jpg, webp)`);
    }
    const content = await readFile(path.join(assetDir, name));
    if (name.endsWith('.svg')) {
      const svg = content.toString('utf8');
      if (!/<title[\s>]/.test(svg) || !/<desc[\s>]/.test(svg)) {
        throw new Error(`${path.join(assetDir, name)}: SVG braucht <title> und <desc> für Screenreader`);
      }
    }
    assets.push({ name, content });
  }
  return assets;
}

export async function loadModule(dir: string): Promise<ModuleSource> {
  const moduleFile = path.join(dir, 'module.yaml');
  const meta = parseOrThrow(moduleSchema, await readYaml(moduleFile), moduleFile);
  if (meta.slug !== path.basename(dir)) {
    throw new Error(`${moduleFile}: slug "${meta.slug}" muss dem Ordnernamen "${path.basename(dir)}" entsprechen`);
  }

  const lessons: LessonSource[] = [];
  for (const fileName of meta.lessons) lessons.push(await loadLesson(dir, fileName));
  const ids = new Set<string>();
  for (const lesson of lessons) {
    if (ids.has(lesson.id)) throw new Error(`${lesson.file}: Lektions-id "${lesson.id}" ist doppelt`);
    if (lesson.id === 'quiz') throw new Error(`${lesson.file}: Lektions-id "quiz" ist für den Abschlusstest reserviert`);
    ids.add(lesson.id);
  }

  const quizFile = path.join(dir, meta.quiz);
  const quiz = parseOrThrow(quizSchema, await readYaml(quizFile), quizFile);
  return { dir, meta, lessons, quiz, assets: await loadAssets(dir) };
}

/** Module folders are the subfolders of contentDir that contain a module.yaml, sorted by name. */
export async function findModuleDirs(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { withFileTypes: true });
  const dirs: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const names = await readdir(path.join(contentDir, entry.name));
    if (names.includes('module.yaml')) dirs.push(path.join(contentDir, entry.name));
  }
  return dirs;
}
