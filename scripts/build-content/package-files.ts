// Assembles the complete file list of one package: the rendered pages and
// assets, the shared CSS, the format's runtime bundle and its manifest.
import { cmi5Xml } from './manifest-cmi5.ts';
import { scorm12Manifest } from './manifest-scorm12.ts';
import { scorm2004Manifest } from './manifest-scorm2004.ts';
import { SHARED_CSS, SHARED_JS } from './package-plan.ts';
import type { RenderedModule } from './render-module.ts';
import type { PackageFormat } from './types.ts';

export function manifestFor(format: PackageFormat, module: RenderedModule): { name: string; xml: string } {
  switch (format) {
    case 'cmi5':
      return { name: 'cmi5.xml', xml: cmi5Xml(module.plan) };
    case 'scorm2004':
      return { name: 'imsmanifest.xml', xml: scorm2004Manifest(module.plan) };
    case 'scorm12':
      return { name: 'imsmanifest.xml', xml: scorm12Manifest(module.plan) };
  }
}

export function packageEntries(format: PackageFormat, module: RenderedModule, css: Buffer, runtime: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>(module.files);
  entries.set(SHARED_CSS, css);
  entries.set(SHARED_JS, runtime);
  const manifest = manifestFor(format, module);
  entries.set(manifest.name, Buffer.from(manifest.xml, 'utf8'));
  return entries;
}
