import { DomainError, notFound } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChatBus } from './chat-bus.ts';
import type { Membership } from './membership.ts';
import type { PeoplePort, Viewer } from './ports.ts';
import type { ChatMessage, CommunityRepository } from './repository.ts';
import { hasChat, parseSpaceKey } from './spaces.ts';

/** A chat message as pages, the JSON API and the live stream show it. */
export interface PresentedMessage {
  id: string;
  spaceKey: string;
  authorId: string;
  authorName: string;
  text: string;
  at: string;
}

export const FORMER_MEMBER = 'ehemaliges Mitglied';
/** At most this many messages per person within the window (all spaces, all instances: counted in the database). */
export const CHAT_RATE = { messages: 10, windowMs: 10_000 };
const PAGE = 50;

/** The live chat of a Klassenzimmer or Q2 session: send, page the history, what a reconnect missed. */
export function createChat(deps: { repo: CommunityRepository; membership: Membership; people: PeoplePort; bus: ChatBus; clock: Clock }) {
  const { repo, membership, people, bus, clock } = deps;

  async function present(list: ChatMessage[]): Promise<PresentedMessage[]> {
    const names = await people.namesOf([...new Set(list.map((m) => m.authorId).filter(Boolean))]);
    return list.map((m) => ({
      id: m.id,
      spaceKey: m.spaceKey,
      authorId: m.authorId,
      authorName: names.get(m.authorId) ?? FORMER_MEMBER,
      text: m.text,
      at: m.at.toISOString(),
    }));
  }

  async function chatSpace(viewer: Viewer, key: string) {
    const access = await membership.assertMember(viewer, key);
    if (!hasChat(access.space)) throw notFound('community:errors.noChat');
    return access;
  }

  return {
    present,
    chatSpace,
    /** An open stream asks again whether its person still belongs (live-channels.ts). */
    recheck: chatSpace,
    async send(viewer: Viewer, key: string, text: string): Promise<PresentedMessage> {
      await chatSpace(viewer, key);
      const now = clock.now();
      if ((await repo.countChatSince(viewer.id, new Date(now.getTime() - CHAT_RATE.windowMs))) >= CHAT_RATE.messages) {
        throw new DomainError('rate-limited', 'community:errors.chatTooFast', { retryAfterSeconds: Math.ceil(CHAT_RATE.windowMs / 1000) });
      }
      const message = await repo.insertChat({ spaceKey: key, authorId: viewer.id, text, hidden: false, at: now });
      bus.published({ type: 'message', message });
      const [p] = await present([message]);
      return p!;
    },
    /** A page of the history, oldest first; `before` pages further back. */
    async history(viewer: Viewer, key: string, before?: string): Promise<{ messages: PresentedMessage[]; moderator: boolean; olderFrom?: string }> {
      const access = await chatSpace(viewer, key);
      const list = await repo.chatPage(key, { beforeId: before, limit: PAGE });
      return { messages: await present(list), moderator: access.moderator, olderFrom: list.length === PAGE ? list[0]!.id : undefined };
    },
    /** For a (re)connecting stream: membership checked, then what came after the client's Last-Event-ID. */
    async openStream(viewer: Viewer, key: string, lastEventId: string): Promise<PresentedMessage[]> {
      await chatSpace(viewer, key);
      return lastEventId ? present(await repo.chatSince(key, lastEventId, 500)) : [];
    },
    /** A moderator takes a message out of the chat; every open stream drops it. */
    async hide(viewer: Viewer, messageId: string): Promise<void> {
      const m = await repo.findChat(messageId);
      if (!m || !parseSpaceKey(m.spaceKey)) throw notFound('community:errors.messageNotFound');
      await membership.assertModerator(viewer, m.spaceKey);
      await repo.hideChat(messageId);
      bus.published({ type: 'hidden', spaceKey: m.spaceKey, id: messageId });
    },
  };
}
export type Chat = ReturnType<typeof createChat>;
