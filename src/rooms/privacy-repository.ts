import type { Connection } from 'mongoose';
import { roomModels } from './model.ts';

/**
 * What the rooms' privacy entry reads and changes. Erasure removes what is only the person's (the
 * guest profile, the places in rooms, the registrations and attendance, invitations to them) and
 * anonymises what others rely on: rooms they led, board entries, materials and attendance marks
 * they made, invitations they sent, stay without them ("ehemaliges Mitglied").
 */
export function createRoomPrivacyRepository(connection: Connection) {
  const { Room, Member, GuestProfile, Invitation, DateRegistration, Result, Material } = roomModels(connection);
  return {
    async all(userId: string, email: string) {
      const [profile, memberships, registrations, invitations, rooms, results, materials] = await Promise.all([
        GuestProfile.findById(userId).lean(),
        Member.find({ userId }, { _id: 0 }).lean(),
        DateRegistration.find({ userId }, { _id: 0 }).lean(),
        Invitation.find({ $or: [{ email: email.toLowerCase() }, { userId }] }, { _id: 0, tokenHash: 0 }).lean(),
        Promise.all([Room.find({ leadId: userId }).lean(), Room.find({ coModeratorIds: userId }).lean()]),
        Result.find({ updatedBy: userId }, { _id: 0 }).lean(),
        Material.find({ addedBy: userId }, { _id: 0 }).lean(),
      ]);
      const led = [...rooms[0], ...rooms[1]].map(({ _id, linkToken: _t, ...r }) => ({ id: String(_id), ...r }));
      return { profile, memberships, registrations, invitations, led, results, materials };
    },
    async eraseAll(userId: string, email: string): Promise<void> {
      await GuestProfile.deleteOne({ _id: userId });
      await Member.deleteMany({ userId });
      await DateRegistration.deleteMany({ userId });
      await Invitation.deleteMany({ $or: [{ email: email.toLowerCase() }, { userId }] });
      await Invitation.updateMany({ invitedBy: userId }, { $set: { invitedBy: '' } });
      await DateRegistration.updateMany({ markedBy: userId }, { $set: { markedBy: '' } });
      await Result.updateMany({ updatedBy: userId }, { $set: { updatedBy: '' } });
      await Material.updateMany({ addedBy: userId }, { $set: { addedBy: '' } });
      await Room.updateMany({ leadId: userId }, { $set: { leadId: '' } });
      // $pull with a condition is not reliable on FerretDB: the array is rewritten instead
      for (const r of await Room.find({ coModeratorIds: userId }, { coModeratorIds: 1 }).lean()) {
        await Room.updateOne({ _id: r._id }, { $set: { coModeratorIds: r.coModeratorIds.filter((id) => id !== userId) } });
      }
    },
  };
}
