// Splits "---\nYAML\n---\nMarkdown" so authors keep lesson metadata in the same file as the text.
import { parse as parseYaml } from 'yaml';

export interface FrontMatterSplit {
  data: unknown;
  body: string;
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function splitFrontMatter(source: string, file: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(source);
  if (!match) throw new Error(`${file}: YAML-Front-Matter (--- … ---) fehlt am Dateianfang`);
  return { data: parseYaml(match[1] ?? '', { prettyErrors: true }), body: source.slice(match[0].length) };
}
