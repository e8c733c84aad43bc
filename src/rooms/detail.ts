import type { RoomsDeps } from './deps.ts';
import type { Viewer } from './ports.ts';
import { canFinish, datesHeld, statusOf } from './room-status.ts';
import { roomSpaceKey } from './materials.ts';

/** The room page: dates with the viewer's registration, who takes part, what the leads may do next. */
export function createDetail(deps: RoomsDeps) {
  const { repo, access, clock } = deps;
  return {
    async show(viewer: Viewer, roomId: string) {
      const { room, role } = await access.visible(viewer, roomId);
      const [members, registrations, results, materials] = await Promise.all([
        repo.membersOf(room.id),
        repo.registrationsOf(room.id),
        repo.resultsOf(room.id),
        repo.materialsOf(room.id),
      ]);
      const people = await deps.people.findUsers([room.leadId, ...room.coModeratorIds, ...members.map((m) => m.userId)]);
      const names = new Map(people.map((p) => [p.id, p]));
      const profiles = new Map((await repo.guestProfiles(members.map((m) => m.userId))).map((p) => [p.userId, p]));
      const now = clock.now();
      const status = statusOf(room);
      return {
        room,
        role,
        status,
        spaceKey: roomSpaceKey(room.id),
        leadName: names.get(room.leadId)?.name ?? '',
        coModerators: room.coModeratorIds.map((id) => names.get(id)?.name ?? '').filter(Boolean),
        participants: members
          .map((m) => ({
            id: m.userId,
            name: names.get(m.userId)?.name ?? '',
            company: profiles.get(m.userId)?.company ?? names.get(m.userId)?.organisation ?? '',
          }))
          .filter((p) => p.name),
        dates: room.dates.map((d, i) => {
          const regs = registrations.filter((r) => r.dateKey === d.key);
          const mine = regs.find((r) => r.userId === viewer.id);
          return {
            ...d,
            number: i + 1,
            past: d.startsAt <= now,
            registeredCount: regs.filter((r) => r.registered).length,
            attendedCount: regs.filter((r) => r.attended).length,
            registered: mine?.registered ?? false,
            attended: mine?.attended ?? null,
            result: results.find((r) => r.dateKey === d.key),
          };
        }),
        materialCount: materials.length,
        datesHeld: datesHeld(room),
        canEdit: role === 'lead' && status === 'planned',
        canFinish: role === 'lead' && canFinish(room),
        // publishing is the results component's (src/results): the leads find the way there here
        canPublish: role === 'lead' && status === 'finished',
      };
    },
  };
}
export type Detail = ReturnType<typeof createDetail>;
