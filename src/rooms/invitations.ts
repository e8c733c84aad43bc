import { DomainError, conflict, notFound } from '../shared/errors.ts';
import { randomToken, sha256Hex } from '../shared/random.ts';
import { formatDateTime } from '../qualification/format.ts';
import type { RoomsDeps } from './deps.ts';
import type { SessionUser } from '../accounts/roles.ts';
import type { Viewer } from './ports.ts';
import type { Invitation, Room } from './repository.ts';
import { statusOf } from './room-status.ts';
import type { GuestRegistrationInput } from './schemas.ts';

export const invitationUrl = (publicUrl: string, token: string) => `${publicUrl}/experimentierraeume/einladung/${token}`;

/** What a token opens: a mailed invitation (one person, used once) or the room's shared link. */
export interface OpenInvitation {
  room: Room;
  via: 'mail' | 'link';
  invitation?: Invitation;
  /** Places left before the capacity is reached. */
  placesLeft: number;
}

/**
 * Bringing companies in: invitations by e-mail (German mail with a personal link) and the room's
 * shareable registration link, which the leads can renew (the old one stops working) or close.
 * Whoever follows one either registers a light guest account (consent to the privacy notice
 * required) or, already signed in, just joins. The capacity counts every participant.
 */
export function createInvitations(deps: RoomsDeps) {
  const { repo, access, clock } = deps;

  async function open(token: string): Promise<OpenInvitation> {
    const invitation = await repo.findInvitation(sha256Hex(token));
    const room = invitation ? await repo.findRoom(invitation.roomId) : await repo.findRoomByLinkToken(token);
    if (!room) throw notFound('rooms:errors.invitationInvalid');
    if (statusOf(room) === 'finished') throw new DomainError('gone', 'rooms:errors.roomFinished');
    return { room, via: invitation ? 'mail' : 'link', invitation, placesLeft: Math.max(0, room.capacity - (await repo.countMembers(room.id))) };
  }

  /**
   * Adds the person within the capacity. Without transactions: the place is taken first, then the
   * members are counted in the order they joined; whoever is beyond the capacity gives the place back.
   */
  async function join(room: Room, userId: string, via: 'mail' | 'link'): Promise<'joined' | 'already'> {
    if (room.leadId === userId || room.coModeratorIds.includes(userId)) return 'already';
    if ((await repo.countMembers(room.id)) >= room.capacity && !(await repo.isMember(room.id, userId))) throw conflict('rooms:errors.full');
    const added = await repo.insertMember({ roomId: room.id, userId, via, joinedAt: clock.now() });
    if (added === 'duplicate') return 'already';
    const order = (await repo.membersOf(room.id)).sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.id.localeCompare(b.id));
    if (order.findIndex((m) => m.userId === userId) >= room.capacity) {
      await repo.removeMember(room.id, userId);
      throw conflict('rooms:errors.full');
    }
    return 'joined';
  }

  async function accepted(inv: OpenInvitation, userId: string) {
    if (inv.invitation && !inv.invitation.acceptedAt) await repo.markInvitationAccepted(inv.invitation.id, userId, clock.now());
  }

  /** A mailed invitation is used once; a second visitor with the same link must be the one who used it. */
  function assertUsable(inv: OpenInvitation, userId?: string) {
    if (inv.invitation?.acceptedAt && inv.invitation.userId !== userId) throw new DomainError('gone', 'rooms:errors.invitationUsed');
  }

  return {
    open: async (token: string, viewer?: Viewer) => {
      const inv = await open(token);
      assertUsable(inv, viewer?.id);
      return inv;
    },

    /** Sends each address a personal invitation (German mail with the link); returns how many went out. */
    async inviteByMail(viewer: Viewer, roomId: string, emails: string[]): Promise<number> {
      const room = await access.led(viewer, roomId);
      if (statusOf(room) === 'finished') throw conflict('rooms:errors.roomFinished');
      const [lead] = await deps.people.findUsers([viewer.id]);
      const t = deps.texts;
      const addresses = [...new Set(emails)];
      for (const email of addresses) {
        const token = randomToken(32);
        await repo.insertInvitation({
          roomId: room.id,
          email,
          tokenHash: sha256Hex(token),
          invitedBy: viewer.id,
          createdAt: clock.now(),
          acceptedAt: null,
          userId: '',
        });
        await deps.mailer.send({
          to: email,
          subject: t('rooms:mails.invitation.subject', { title: room.title }),
          text: [
            t('rooms:mails.invitation.greeting'),
            '',
            t('rooms:mails.invitation.intro', { lead: lead?.name ?? '', title: room.title, topic: room.topic }),
            '',
            t('rooms:mails.invitation.dates'),
            ...room.dates.map((d, i) => `  ${i + 1}. ${formatDateTime(d.startsAt)} – ${t(`rooms:modes.${d.mode}`)}`),
            '',
            t('rooms:mails.invitation.link'),
            invitationUrl(deps.publicUrl(), token),
            '',
            t('rooms:mails.invitation.privacy', { url: `${deps.publicUrl()}/datenschutz` }),
          ].join('\n'),
        });
      }
      return addresses.length;
    },

    async invitationsOf(viewer: Viewer, roomId: string) {
      const room = await access.led(viewer, roomId);
      const list = await repo.invitationsOf(room.id);
      return { room, invitations: list, linkUrl: room.linkToken ? invitationUrl(deps.publicUrl(), room.linkToken) : '' };
    },

    /** Renews the shareable link (a new random token; the old link stops working) or closes it. */
    async setLink(viewer: Viewer, roomId: string, action: 'renew' | 'close'): Promise<string> {
      const room = await access.led(viewer, roomId);
      const token = action === 'renew' ? randomToken(24) : '';
      await repo.updateRoom(room.id, { linkToken: token });
      return token ? invitationUrl(deps.publicUrl(), token) : '';
    },

    /** A signed-in person (a guest of another room, a Lotse, a learner) follows the link and joins. */
    async acceptSignedIn(viewer: Viewer, token: string): Promise<Room> {
      const inv = await open(token);
      assertUsable(inv, viewer.id);
      await join(inv.room, viewer.id, inv.via);
      await accepted(inv, viewer.id);
      return inv.room;
    },

    /**
     * A company participant registers through the link: a light guest account (role guest, consent
     * recorded), their company profile, and the place in the room. The place is checked before the
     * account is made, so a full room makes no account.
     */
    async registerGuest(token: string, input: GuestRegistrationInput): Promise<{ room: Room; person: SessionUser }> {
      const inv = await open(token);
      assertUsable(inv);
      if (inv.placesLeft <= 0) throw conflict('rooms:errors.full');
      const person = await deps.people.registerGuest({
        name: input.name,
        email: input.email,
        organisation: input.company,
        region: inv.room.region,
        password: input.password,
      });
      await repo.upsertGuestProfile({
        userId: person.id,
        company: input.company,
        companyRole: input.companyRole,
        trade: input.trade,
        companySize: input.companySize,
        createdAt: clock.now(),
      });
      await join(inv.room, person.id, inv.via);
      await accepted(inv, person.id);
      return { room: inv.room, person };
    },
  };
}
export type Invitations = ReturnType<typeof createInvitations>;
