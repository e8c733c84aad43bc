import { Schema, type Connection, type Types } from 'mongoose';
import { REGIONS } from '../accounts/roles.ts';
import { defineModel } from '../db/define-model.ts';

/**
 * The Experimentierräume's collections (issue #21). Every query the component makes is listed with
 * the index that serves it (src/rooms/README.md has the same table).
 */

export const COMPANY_SIZES = ['1-9', '10-49', '50-249', '250+'] as const;
export type CompanySizeValue = (typeof COMPANY_SIZES)[number];
export const ROOM_STATUSES = ['planned', 'running', 'finished'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];
export const DATE_MODES = ['vor-ort', 'virtuell'] as const;

/** One workshop date; `key` stays the same when the room is edited (registrations point to it). */
export interface RoomDateDoc {
  key: string;
  startsAt: Date;
  mode: (typeof DATE_MODES)[number];
  /** The address (on site) or the link (virtual). */
  place: string;
  /** Set when the lead recorded the attendance: from then on the date counts as held. */
  heldAt: Date | null;
}

export interface ExpertDoc {
  name: string;
  field: string;
  email: string;
}

export interface RoomDoc {
  _id: Types.ObjectId;
  title: string;
  topic: string;
  region: (typeof REGIONS)[number];
  targetTrade: string;
  targetSize: CompanySizeValue;
  description: string;
  capacity: number;
  /** The opening Lotse; '' once their account is erased ("ehemaliges Mitglied"). */
  leadId: string;
  coModeratorIds: string[];
  experts: ExpertDoc[];
  dates: RoomDateDoc[];
  status: RoomStatus;
  /** The year of the first date: the admin overview filters by it. */
  year: number;
  finishedAt: Date | null;
  /** The shareable registration link's token; '' while the link is closed. */
  linkToken: string;
  createdAt: Date;
  updatedAt: Date;
}

const dateSchema = new Schema<RoomDateDoc>(
  {
    key: { type: String, required: true },
    startsAt: { type: Date, required: true },
    mode: { type: String, enum: DATE_MODES, required: true },
    place: { type: String, required: true },
    heldAt: { type: Date, default: null },
  },
  { _id: false },
);
const expertSchema = new Schema<ExpertDoc>({ name: String, field: String, email: { type: String, default: '' } }, { _id: false });

const roomSchema = new Schema<RoomDoc>(
  {
    title: { type: String, required: true },
    topic: { type: String, required: true },
    region: { type: String, enum: REGIONS, required: true },
    targetTrade: { type: String, default: '' },
    targetSize: { type: String, enum: COMPANY_SIZES, required: true },
    description: { type: String, default: '' },
    capacity: { type: Number, required: true },
    leadId: { type: String, required: true },
    coModeratorIds: { type: [String], default: [] },
    experts: { type: [expertSchema], default: [] },
    dates: { type: [dateSchema], default: [] },
    status: { type: String, enum: ROOM_STATUSES, default: 'planned' },
    year: { type: Number, required: true },
    finishedAt: { type: Date, default: null },
    linkToken: { type: String, default: '' },
  },
  { timestamps: true, collection: 'rooms' },
);
// "my rooms" of a Lotse: opened (leadId) and co-moderated (multikey coModeratorIds), newest first
roomSchema.index({ leadId: 1, createdAt: -1 });
roomSchema.index({ coModeratorIds: 1, createdAt: -1 });
// the admin overview: by region and year, or all, newest first
roomSchema.index({ region: 1, year: 1, createdAt: -1 });
roomSchema.index({ region: 1, createdAt: -1 });
roomSchema.index({ year: 1, createdAt: -1 });
roomSchema.index({ createdAt: -1 });
// the registration link
roomSchema.index({ linkToken: 1 });

/** A company participant's place in a room (the guest account itself is in accounts' users). */
export interface MemberDoc {
  _id: Types.ObjectId;
  roomId: string;
  userId: string;
  via: 'mail' | 'link';
  joinedAt: Date;
}
const memberSchema = new Schema<MemberDoc>(
  {
    roomId: { type: String, required: true },
    userId: { type: String, required: true },
    via: { type: String, enum: ['mail', 'link'], required: true },
    joinedAt: { type: Date, required: true },
  },
  { collection: 'room_members' },
);
// members of a room (and the capacity count), and one place per person and room
memberSchema.index({ roomId: 1, userId: 1 }, { unique: true });
// the rooms of a participant
memberSchema.index({ userId: 1 });

/** What a company participant says about themselves and their company, beside the light account. */
export interface GuestProfileDoc {
  /** The user id. */
  _id: string;
  company: string;
  companyRole: string;
  trade: string;
  companySize: CompanySizeValue;
  createdAt: Date;
}
const guestProfileSchema = new Schema<GuestProfileDoc>(
  {
    _id: { type: String, required: true },
    company: { type: String, required: true },
    companyRole: { type: String, default: '' },
    trade: { type: String, required: true },
    companySize: { type: String, enum: COMPANY_SIZES, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'room_guest_profiles' },
);

/** An invitation by e-mail: the link carries a token whose hash is stored. */
export interface InvitationDoc {
  _id: Types.ObjectId;
  roomId: string;
  email: string;
  tokenHash: string;
  invitedBy: string;
  createdAt: Date;
  acceptedAt: Date | null;
  userId: string;
}
const invitationSchema = new Schema<InvitationDoc>(
  {
    roomId: { type: String, required: true },
    email: { type: String, required: true },
    tokenHash: { type: String, required: true, unique: true },
    invitedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    userId: { type: String, default: '' },
  },
  { collection: 'room_invitations' },
);
// the lead's list of a room's invitations
invitationSchema.index({ roomId: 1, createdAt: -1 });
// privacy: a person's invitations by address and by account
invitationSchema.index({ email: 1 });
invitationSchema.index({ invitedBy: 1 });
invitationSchema.index({ userId: 1 });

/** A participant's registration for one date, and what the lead recorded after it. */
export interface DateRegistrationDoc {
  _id: Types.ObjectId;
  roomId: string;
  dateKey: string;
  userId: string;
  registered: boolean;
  /** null until the lead recorded the attendance of this date. */
  attended: boolean | null;
  markedBy: string;
  markedAt: Date | null;
  statementId: string;
  updatedAt: Date;
}
const dateRegistrationSchema = new Schema<DateRegistrationDoc>(
  {
    roomId: { type: String, required: true },
    dateKey: { type: String, required: true },
    userId: { type: String, required: true },
    registered: { type: Boolean, default: false },
    attended: { type: Boolean, default: null },
    markedBy: { type: String, default: '' },
    markedAt: { type: Date, default: null },
    statementId: { type: String, default: '' },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'room_date_registrations' },
);
// a room's registrations (all dates), and one per person and date
dateRegistrationSchema.index({ roomId: 1, dateKey: 1, userId: 1 }, { unique: true });
// privacy: a person's registrations, and the marks they made as a lead
dateRegistrationSchema.index({ userId: 1 });
dateRegistrationSchema.index({ markedBy: 1 });

/** The results board of one date, curated by the room's leads. */
export interface ResultDoc {
  _id: Types.ObjectId;
  roomId: string;
  dateKey: string;
  tried: string;
  worked: string;
  nextSteps: string;
  /** Who last saved it; '' once erased. */
  updatedBy: string;
  updatedAt: Date;
}
const resultSchema = new Schema<ResultDoc>(
  {
    roomId: { type: String, required: true },
    dateKey: { type: String, required: true },
    tried: { type: String, default: '' },
    worked: { type: String, default: '' },
    nextSteps: { type: String, default: '' },
    updatedBy: { type: String, default: '' },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'room_results' },
);
resultSchema.index({ roomId: 1, dateKey: 1 }, { unique: true });
resultSchema.index({ updatedBy: 1 });

/** Material of the Lotse: an uploaded document, a link, or a published Q1 module for self-study. */
export interface MaterialDoc {
  _id: Types.ObjectId;
  roomId: string;
  kind: 'file' | 'link' | 'module';
  title: string;
  /** link: the URL; module: the module's slug; file: the GridFS file id. */
  ref: string;
  addedBy: string;
  createdAt: Date;
}
const materialSchema = new Schema<MaterialDoc>(
  {
    roomId: { type: String, required: true },
    kind: { type: String, enum: ['file', 'link', 'module'], required: true },
    title: { type: String, required: true },
    ref: { type: String, required: true },
    addedBy: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { collection: 'room_materials' },
);
materialSchema.index({ roomId: 1, createdAt: 1 });
materialSchema.index({ addedBy: 1 });

/** The rooms component's models on the app's connection. */
export function roomModels(connection: Connection) {
  return {
    Room: defineModel(connection, 'Room', roomSchema),
    Member: defineModel(connection, 'RoomMember', memberSchema),
    GuestProfile: defineModel(connection, 'RoomGuestProfile', guestProfileSchema),
    Invitation: defineModel(connection, 'RoomInvitation', invitationSchema),
    DateRegistration: defineModel(connection, 'RoomDateRegistration', dateRegistrationSchema),
    Result: defineModel(connection, 'RoomResult', resultSchema),
    Material: defineModel(connection, 'RoomMaterial', materialSchema),
  };
}
export type RoomModels = ReturnType<typeof roomModels>;
