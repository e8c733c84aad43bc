// Minimal XML escaping for the manifest writers (cmi5.xml, imsmanifest.xml).
// The manifests are small and fixed in shape, so templates plus escaping keep
// them readable side by side with the specs instead of pulling in an XML builder.

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Indents every line of a block so nested templates stay readable in the output. */
export function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}
