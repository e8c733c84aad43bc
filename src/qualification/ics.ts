import type { Q2Session } from './session-repository.ts';

/** Text values escaped as RFC 5545 §3.3.11 asks. */
const text = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Lines longer than 75 octets are folded (RFC 5545 §3.1), without splitting a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** A calendar file with one event for a registered participant (it includes the meeting link). */
export function sessionIcs(s: Q2Session, opts: { baseUrl: string; now: Date }): string {
  const host = new URL(opts.baseUrl).hostname;
  const location = s.format === 'virtuell' ? s.meetingLink : s.place;
  const description = [
    `Q2-Termin der Qualifizierung OM-Lotse / Quartiersmanager`,
    s.format === 'virtuell' ? `Zugang: ${s.meetingLink}` : `Ort: ${s.place}`,
    `${opts.baseUrl}/sessions/${s.id}`,
  ].join('\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//GeZu Lotse Academy//Qualifizierung//DE',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:q2-session-${s.id}@${host}`,
    `DTSTAMP:${stamp(opts.now)}`,
    `DTSTART:${stamp(s.startsAt)}`,
    `DTEND:${stamp(s.endsAt)}`,
    `SUMMARY:${text(s.title)}`,
    `LOCATION:${text(location)}`,
    `DESCRIPTION:${text(description)}`,
    ...(s.format === 'virtuell' ? [`URL:${s.meetingLink}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
