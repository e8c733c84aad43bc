import { open } from 'node:fs/promises';

/** The evidence formats we accept, recognised by their first bytes (the file name and the browser's type are not trusted). */
const SIGNATURES: Array<{ type: string; ext: string; bytes: number[] }> = [
  { type: 'application/pdf', ext: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', ext: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', ext: 'jpg', bytes: [0xff, 0xd8, 0xff] },
];

/** The content type of a file by its magic bytes, or undefined when it is none of PDF, PNG, JPEG. */
export async function sniffEvidenceType(filePath: string): Promise<{ type: string; ext: string } | undefined> {
  const fh = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    const sig = SIGNATURES.find((s) => bytesRead >= s.bytes.length && s.bytes.every((b, i) => head[i] === b));
    return sig ? { type: sig.type, ext: sig.ext } : undefined;
  } finally {
    await fh.close();
  }
}
