import { DomainError, notFound } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChatBus } from './chat-bus.ts';
import type { Membership, SpaceAccess } from './membership.ts';
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
/** How long this instance keeps an author's name for the chat (a renamed person shows the new name after this). */
const NAME_TRUST_MS = 30_000;
const MAX_TRUSTED = 10_000;

/** A small map whose entries expire (monotonic time: the injected clock may stand still in tests). */
function expiringMap<V>(ttlMs: number) {
  const entries = new Map<string, { value: V; until: number }>();
  return {
    get(key: string): V | undefined {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.until > performance.now()) return e.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: V): void {
      entries.delete(key);
      // the oldest entry goes first (a Map iterates in insertion order)
      if (entries.size >= MAX_TRUSTED) entries.delete(entries.keys().next().value!);
      entries.set(key, { value, until: performance.now() + ttlMs });
    },
    delete: (key: string) => entries.delete(key),
  };
}

/** The live chat of a Klassenzimmer or Q2 session: send, page the history, what a reconnect missed. */
export function createChat(deps: {
  repo: CommunityRepository;
  membership: Membership;
  people: PeoplePort;
  bus: ChatBus;
  clock: Clock;
  /**
   * How long this instance trusts a chat membership it checked before asking the database again (the
   * open streams' re-check interval, CHAT_RECHECK_MS). Only the POST uses the trusted answer: a person
   * removed from the space is refused within this time on every instance, and at once where an open
   * stream of theirs re-checked (live-channels.ts). Per instance and bounded: nothing another instance needs.
   */
  trustMs: number;
}) {
  const { repo, membership, people, bus, clock } = deps;
  const trusted = expiringMap<SpaceAccess>(deps.trustMs);
  const knownNames = expiringMap<string>(NAME_TRUST_MS);
  const trustKey = (viewer: Viewer, key: string) => `${viewer.id}|${viewer.roles.join(',')}|${key}`;

  /** Names of the authors: the live chat shows the same few people again and again, so they are kept for a while. */
  async function namesOf(ids: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const unknown: string[] = [];
    for (const id of new Set(ids.filter(Boolean))) {
      const n = knownNames.get(id);
      if (n === undefined) unknown.push(id);
      else names.set(id, n);
    }
    if (unknown.length)
      for (const [id, n] of await people.namesOf(unknown)) {
        knownNames.set(id, n);
        names.set(id, n);
      }
    return names;
  }

  async function present(list: ChatMessage[]): Promise<PresentedMessage[]> {
    const names = await namesOf(list.map((m) => m.authorId));
    return list.map((m) => ({
      id: m.id,
      spaceKey: m.spaceKey,
      authorId: m.authorId,
      authorName: names.get(m.authorId) ?? FORMER_MEMBER,
      text: m.text,
      at: m.at.toISOString(),
    }));
  }

  /** The viewer's access to a space with a chat, asked of membership.ts; a refusal also ends the trust in an earlier answer. */
  async function chatSpace(viewer: Viewer, key: string): Promise<SpaceAccess> {
    let access: SpaceAccess;
    try {
      access = await membership.assertMember(viewer, key);
    } catch (err) {
      trusted.delete(trustKey(viewer, key));
      throw err;
    }
    if (!hasChat(access.space)) throw notFound('community:errors.noChat');
    trusted.set(trustKey(viewer, key), access);
    return access;
  }

  return {
    present,
    chatSpace,
    /** An open stream asks again (live-channels.ts): a fresh answer, which the POST then trusts. */
    recheck: chatSpace,
    async send(viewer: Viewer, key: string, text: string): Promise<PresentedMessage> {
      if (!trusted.get(trustKey(viewer, key))) await chatSpace(viewer, key);
      const now = clock.now();
      if ((await repo.countChatSince(viewer.id, new Date(now.getTime() - CHAT_RATE.windowMs), CHAT_RATE.messages)) >= CHAT_RATE.messages) {
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
