/**
 * SCORM time values. 1.2 uses CMITimespan "HHHH:MM:SS.SS" (RTE 1.2 §3.4.2); 2004 and xAPI use
 * ISO 8601 durations "PT1H2M3.4S" (RTE 2004 4.1.3, xAPI 1.0.3 §4.1.5.1 result.duration).
 */

/** Seconds of a 1.2 timespan or an ISO 8601 duration; 0 for anything unreadable. */
export function parseDurationSeconds(value: unknown): number {
  if (typeof value !== 'string' || !value) return 0;
  const hms = /^(\d{1,4}):(\d{2}):(\d{2})(\.\d{1,2})?$/.exec(value);
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]) + Number(hms[4] ?? 0);
  const iso =
    /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      value,
    );
  if (!iso || value === 'P' || value.endsWith('T')) return 0;
  const [, y, mo, w, d, h, mi, s] = iso.map((p) => Number(p ?? 0));
  return (y ?? 0) * 31_536_000 + (mo ?? 0) * 2_592_000 + (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** "HHHH:MM:SS.SS" for SCORM 1.2. */
export function toScorm12Time(seconds: number): string {
  const total = Math.max(0, round2(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = round2(total - h * 3600 - m * 60);
  const [whole, frac] = s.toFixed(2).split('.');
  return `${String(h).padStart(4, '0')}:${String(m).padStart(2, '0')}:${String(whole).padStart(2, '0')}.${frac}`;
}

/** "PT#H#M#S" for SCORM 2004 and xAPI. */
export function toIsoDuration(seconds: number): string {
  const total = Math.max(0, round2(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = round2(total - h * 3600 - m * 60);
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}
