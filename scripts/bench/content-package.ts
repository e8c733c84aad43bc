/** The benchmark's package: generated at run time, ≈ 100 MB zipped with many files of every common kind. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ZipArchive } from 'archiver';

/** Text that compresses like real course pages (repetitive markup, some variety). */
function textFile(i: number, kb: number): Buffer {
  const words = ['Quartier', 'Gesundheit', 'Beratung', 'Lotse', 'Mittelstand', 'Arbeit', 'Prävention', 'Netzwerk', 'function', 'return', 'const', 'div'];
  const parts: string[] = [];
  let n = 0;
  let seed = i * 7919;
  while (n < kb * 1024) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const w = `${words[seed % words.length]}${seed % 97} `;
    parts.push(w);
    n += w.length;
  }
  return Buffer.from(parts.join(''));
}

export interface PackageInfo {
  files: number;
  bytes: number;
  /** Paths of small files (pages, scripts, styles) for the serving benchmark. */
  small: string[];
}

export async function makePackage(file: string, lessons: number): Promise<PackageInfo> {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const done = pipeline(zip, createWriteStream(file));
  const small: string[] = [];
  let bytes = 0;
  let files = 0;
  const add = (name: string, data: Buffer, store = false) => {
    zip.append(data, { name, store });
    bytes += data.length;
    files += 1;
  };
  const manifestItems: string[] = [];
  const resources: string[] = [];
  for (let s = 0; s < lessons; s++) {
    manifestItems.push(`<item identifier="i${s}" identifierref="r${s}"><title>Lektion ${s}</title><adlcp:masteryscore>80</adlcp:masteryscore></item>`);
    resources.push(`<resource identifier="r${s}" type="webcontent" adlcp:scormtype="sco" href="lesson${s}/index.html"/>`);
  }
  add(
    'imsmanifest.xml',
    Buffer.from(
      `<?xml version="1.0"?><manifest identifier="bench" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><metadata><schemaversion>1.2</schemaversion></metadata><organizations default="o"><organization identifier="o"><title>Benchmark</title>${manifestItems.join('')}</organization></organizations><resources>${resources.join('')}</resources></manifest>`,
    ),
  );
  for (let s = 0; s < lessons; s++) {
    for (let p = 0; p < 100; p++) {
      const name = p === 0 ? `lesson${s}/index.html` : `lesson${s}/${['page', 'script', 'style', 'data'][p % 4]}${p}.${['html', 'js', 'css', 'json'][p % 4]}`;
      add(name, textFile(s * 1000 + p, 8 + (p % 5) * 6));
      if (p % 4 !== 3) small.push(name);
    }
    for (let img = 0; img < 20; img++) add(`lesson${s}/img/bild${img}.png`, randomBytes(40 * 1024), true);
    add(`lesson${s}/media/video.mp4`, randomBytes(4 * 1024 ** 2), true);
  }
  await zip.finalize();
  await done;
  return { files, bytes, small };
}

// The benchmark runs this file as a child process: generating the package then leaves the measured
// process's memory alone (its RSS would otherwise start out inflated by the generator's buffers).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, lessons] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await makePackage(file!, Number(lessons))));
}
