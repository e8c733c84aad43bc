import { unzip } from '../support/unzip.ts';

/** The text of every part of an XLSX (a zip of XML files), by path: enough to find headers and numbers. */
export async function xlsxParts(buffer: Buffer): Promise<Map<string, string>> {
  return new Map([...(await unzip(buffer))].map(([name, content]) => [name, content.toString('utf8')]));
}
