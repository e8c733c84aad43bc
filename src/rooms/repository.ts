import type { Connection, Types } from 'mongoose';
import { isObjectId } from '../shared/object-id.ts';
import {
  roomModels,
  type DateRegistrationDoc,
  type GuestProfileDoc,
  type InvitationDoc,
  type MaterialDoc,
  type MemberDoc,
  type ResultDoc,
  type RoomDoc,
} from './model.ts';

type WithId<T> = Omit<T, '_id'> & { id: string };
export type Room = WithId<RoomDoc>;
export type Member = WithId<MemberDoc>;
export type Invitation = WithId<InvitationDoc>;
export type DateRegistration = WithId<DateRegistrationDoc>;
export type Result = WithId<ResultDoc>;
export type Material = WithId<MaterialDoc>;
export type GuestProfile = Omit<GuestProfileDoc, '_id'> & { userId: string };

const withId = <T extends { _id: Types.ObjectId }>(d: T): WithId<T> => {
  const { _id, ...rest } = d;
  return { ...rest, id: _id.toString() };
};
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export type NewRoom = Omit<RoomDoc, '_id' | 'createdAt' | 'updatedAt'>;

/** The rooms component's one door to its collections; every read returns plain objects. */
export function createRoomRepository(connection: Connection) {
  const { Room: R, Member: M, GuestProfile: G, Invitation: I, DateRegistration: D, Result: Res, Material: Mat } = roomModels(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([R.init(), M.init(), G.init(), I.init(), D.init(), Res.init(), Mat.init()]);
    },

    // rooms
    async insertRoom(room: NewRoom): Promise<Room> {
      return withId((await R.create(room)).toObject());
    },
    async findRoom(id: string): Promise<Room | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await R.findById(id).lean<RoomDoc>();
      return d ? withId(d) : undefined;
    },
    async findRooms(ids: string[]): Promise<Room[]> {
      const valid = ids.filter(isObjectId);
      if (!valid.length) return [];
      return (await R.find({ _id: { $in: valid } }).lean<RoomDoc[]>()).map(withId);
    },
    async updateRoom(id: string, patch: Partial<NewRoom>): Promise<Room | undefined> {
      const d = await R.findByIdAndUpdate(id, { $set: patch }, { returnDocument: 'after' }).lean<RoomDoc>();
      return d ? withId(d) : undefined;
    },
    /** Rooms the person opened or co-moderates, newest first (two index-served queries, merged). */
    async roomsLedBy(userId: string): Promise<Room[]> {
      const [opened, co] = await Promise.all([
        R.find({ leadId: userId }).sort({ createdAt: -1 }).lean<RoomDoc[]>(),
        R.find({ coModeratorIds: userId }).sort({ createdAt: -1 }).lean<RoomDoc[]>(),
      ]);
      const byId = new Map([...opened, ...co].map((d) => [d._id.toString(), withId(d)]));
      return [...byId.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
    async listRooms(filter: { region?: string; year?: number }): Promise<Room[]> {
      const q: Record<string, unknown> = {};
      if (filter.region) q.region = filter.region;
      if (filter.year) q.year = filter.year;
      return (await R.find(q).sort({ createdAt: -1 }).limit(5000).lean<RoomDoc[]>()).map(withId);
    },
    /** Whether any room exists at all (the demo room is opened only on a database without one). */
    async anyRoom(): Promise<boolean> {
      return (await R.exists({})) !== null;
    },
    async findRoomByLinkToken(token: string): Promise<Room | undefined> {
      if (!token) return undefined;
      const d = await R.findOne({ linkToken: token }).lean<RoomDoc>();
      return d ? withId(d) : undefined;
    },

    // members
    /** Adds the person; 'duplicate' when they already are a member. */
    async insertMember(m: Omit<MemberDoc, '_id'>): Promise<Member | 'duplicate'> {
      try {
        return withId((await M.create(m)).toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },
    async removeMember(roomId: string, userId: string): Promise<void> {
      await M.deleteOne({ roomId, userId });
    },
    async membersOf(roomId: string): Promise<Member[]> {
      return (await M.find({ roomId }).sort({ joinedAt: 1 }).lean<MemberDoc[]>()).map(withId);
    },
    async membersOfRooms(roomIds: string[]): Promise<Member[]> {
      if (!roomIds.length) return [];
      return (await M.find({ roomId: { $in: roomIds } }).lean<MemberDoc[]>()).map(withId);
    },
    async isMember(roomId: string, userId: string): Promise<boolean> {
      return Boolean(await M.exists({ roomId, userId }));
    },
    countMembers: (roomId: string) => M.countDocuments({ roomId }),
    async roomIdsOfMember(userId: string): Promise<string[]> {
      return (await M.find({ userId }, { roomId: 1 }).lean<Array<{ roomId: string }>>()).map((m) => m.roomId);
    },

    // guest profiles
    async upsertGuestProfile(p: GuestProfile): Promise<void> {
      const { userId, ...rest } = p;
      await G.updateOne({ _id: userId }, { $set: rest }, { upsert: true });
    },
    async guestProfiles(userIds: string[]): Promise<GuestProfile[]> {
      if (!userIds.length) return [];
      return (await G.find({ _id: { $in: userIds } }).lean<GuestProfileDoc[]>()).map(({ _id, ...rest }) => ({ ...rest, userId: _id }));
    },

    // invitations
    async insertInvitation(i: Omit<InvitationDoc, '_id'>): Promise<Invitation> {
      return withId((await I.create(i)).toObject());
    },
    async findInvitation(tokenHash: string): Promise<Invitation | undefined> {
      const d = await I.findOne({ tokenHash }).lean<InvitationDoc>();
      return d ? withId(d) : undefined;
    },
    async invitationsOf(roomId: string): Promise<Invitation[]> {
      return (await I.find({ roomId }).sort({ createdAt: -1 }).lean<InvitationDoc[]>()).map(withId);
    },
    async markInvitationAccepted(id: string, userId: string, at: Date): Promise<void> {
      await I.updateOne({ _id: id }, { $set: { acceptedAt: at, userId } });
    },

    // date registrations and attendance
    async setRegistered(roomId: string, dateKey: string, userId: string, registered: boolean, at: Date): Promise<void> {
      await D.updateOne({ roomId, dateKey, userId }, { $set: { registered, updatedAt: at } }, { upsert: true });
    },
    async putAttendance(a: {
      roomId: string;
      dateKey: string;
      userId: string;
      attended: boolean;
      markedBy: string;
      at: Date;
      statementId: string;
    }): Promise<void> {
      await D.updateOne(
        { roomId: a.roomId, dateKey: a.dateKey, userId: a.userId },
        { $set: { attended: a.attended, markedBy: a.markedBy, markedAt: a.at, statementId: a.statementId, updatedAt: a.at } },
        { upsert: true },
      );
    },
    async registrationsOf(roomId: string): Promise<DateRegistration[]> {
      return (await D.find({ roomId }).lean<DateRegistrationDoc[]>()).map(withId);
    },
    async registrationsOfRooms(roomIds: string[]): Promise<DateRegistration[]> {
      if (!roomIds.length) return [];
      return (await D.find({ roomId: { $in: roomIds } }).lean<DateRegistrationDoc[]>()).map(withId);
    },

    // results board
    async putResult(r: Omit<ResultDoc, '_id'>): Promise<void> {
      const { roomId, dateKey, ...rest } = r;
      await Res.updateOne({ roomId, dateKey }, { $set: rest }, { upsert: true });
    },
    async resultsOf(roomId: string): Promise<Result[]> {
      return (await Res.find({ roomId }).lean<ResultDoc[]>()).map(withId);
    },

    // materials
    async insertMaterial(m: Omit<MaterialDoc, '_id'>): Promise<Material> {
      return withId((await Mat.create(m)).toObject());
    },
    async materialsOf(roomId: string): Promise<Material[]> {
      return (await Mat.find({ roomId }).sort({ createdAt: 1 }).lean<MaterialDoc[]>()).map(withId);
    },
    async findMaterial(id: string): Promise<Material | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Mat.findById(id).lean<MaterialDoc>();
      return d ? withId(d) : undefined;
    },
    /** Whether one of these rooms lists the module (by slug) as self-study material (served by `{roomId, createdAt}`). */
    async modulesListedIn(roomIds: string[], slug: string): Promise<boolean> {
      if (!roomIds.length || !slug) return false;
      return Boolean(await Mat.exists({ roomId: { $in: roomIds }, kind: 'module', ref: slug }));
    },
    async deleteMaterial(id: string): Promise<void> {
      await Mat.deleteOne({ _id: id });
    },
  };
}
export type RoomRepository = ReturnType<typeof createRoomRepository>;
