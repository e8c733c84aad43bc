/** Dates as people in Germany read them, always in German local time (sessions happen there). */
const dateTime = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium' });

export const formatDateTime = (d: Date | undefined): string => (d ? dateTime.format(d) : '');
export const formatDate = (d: Date | undefined): string => (d ? dateOnly.format(d) : '');
/** yyyy-mm-dd for <input type="date"> and CSV exports. */
export const isoDate = (d: Date | undefined): string => (d ? d.toISOString().slice(0, 10) : '');

const berlinParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
/** yyyy-mm-ddThh:mm in German local time, for <input type="datetime-local">. */
export function berlinLocalInput(d: Date | undefined): string {
  if (!d) return '';
  const p = Object.fromEntries(berlinParts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
