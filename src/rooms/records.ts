import { createHash, randomUUID } from 'node:crypto';
import { learnerAgent, PLATFORM_CONTEXT, PLATFORM_VERBS } from '../shared/platform-statements.ts';

export const ATTENDED_VERB = PLATFORM_VERBS.attended.id;
export const SHARED_VERB = PLATFORM_VERBS.shared.id;

export const roomActivityId = (baseUrl: string, roomId: string) => `${baseUrl}/experimentierraeume/${roomId}`;
export const dateActivityId = (baseUrl: string, roomId: string, dateKey: string) => `${roomActivityId(baseUrl, roomId)}/termine/${dateKey}`;

/**
 * The room's registration (xAPI 1.0.3 §2.4.6.1, a UUID): derived from the room id, so every statement
 * of one room carries the same one and the LRS can be asked for a room's statements by it.
 */
export function roomRegistration(roomId: string): string {
  const h = createHash('sha256').update(`gezu-lotse:experimentierraum:${roomId}`).digest('hex');
  // a name-based UUID layout: version 5, variant 10xx
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface RoomRef {
  id: string;
  title: string;
  topic: string;
}
interface PersonRef {
  id: string;
  name: string;
}

const context = (baseUrl: string, room: RoomRef, extra: Record<string, unknown> = {}) => ({
  registration: roomRegistration(room.id),
  ...PLATFORM_CONTEXT,
  ...extra,
  contextActivities: {
    parent: [{ objectType: 'Activity', id: roomActivityId(baseUrl, room.id), definition: { name: { 'de-DE': room.title } } }],
    category: [{ objectType: 'Activity', id: `${baseUrl}/experimentierraeume/themen/${encodeURIComponent(room.topic)}` }],
  },
});

/**
 * Attendance of one date (xAPI 1.0.3 §2.4): verb "attended", the date as a meeting, the room as
 * parent, the lead as instructor; result.success only for those who came (absence is recorded too,
 * so a corrected mark replaces nothing silently).
 */
export function roomAttendanceStatement(opts: {
  baseUrl: string;
  room: RoomRef;
  dateKey: string;
  dateNumber: number;
  person: PersonRef;
  lead: PersonRef;
  attended: boolean;
  at: Date;
}) {
  const { baseUrl, room } = opts;
  return {
    id: randomUUID(),
    actor: learnerAgent(baseUrl, opts.person),
    verb: PLATFORM_VERBS.attended,
    object: {
      objectType: 'Activity',
      id: dateActivityId(baseUrl, room.id, opts.dateKey),
      definition: {
        type: 'http://adlnet.gov/expapi/activities/meeting',
        name: { 'de-DE': `${room.title} – Termin ${opts.dateNumber}` },
        description: { 'de-DE': 'Termin eines Lern- und Experimentierraums' },
      },
    },
    result: { success: opts.attended, completion: opts.attended },
    context: context(baseUrl, room, { instructor: learnerAgent(baseUrl, opts.lead) }),
    timestamp: opts.at.toISOString(),
  };
}

/** A lead's entry on the results board of a date: verb "shared", the board entry as a note. */
export function roomResultStatement(opts: { baseUrl: string; room: RoomRef; dateKey: string; dateNumber: number; lead: PersonRef; at: Date }) {
  const { baseUrl, room } = opts;
  return {
    id: randomUUID(),
    actor: learnerAgent(baseUrl, opts.lead),
    verb: PLATFORM_VERBS.shared,
    object: {
      objectType: 'Activity',
      id: `${dateActivityId(baseUrl, room.id, opts.dateKey)}/ergebnisse`,
      definition: { type: 'http://activitystrea.ms/schema/1.0/note', name: { 'de-DE': `Ergebnisse – Termin ${opts.dateNumber}` } },
    },
    context: context(baseUrl, room),
    timestamp: opts.at.toISOString(),
  };
}
