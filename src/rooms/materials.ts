import { notFound, validationError } from '../shared/errors.ts';
import type { RoomsDeps } from './deps.ts';
import { isGuestOnly } from './guest-fence.ts';
import type { Viewer } from './ports.ts';

/** The room's space in the community (threads, chat and files live there). */
export const roomSpaceKey = (roomId: string) => `room-${roomId}`;

/**
 * The Lotse's materials: documents (stored by the community's file store, which checks the first
 * bytes and the size and serves a file only to the room's members), links, and published Q1 modules
 * as optional self-study. Guests start a listed module here ("Starten": the player's start by slug,
 * which the guest fence lets through for exactly the modules their rooms list); Lotsen and learners
 * get the dashboard link (the module is part of their qualification there).
 */
export function createMaterials(deps: RoomsDeps) {
  const { repo, access, clock } = deps;
  return {
    async list(viewer: Viewer, roomId: string) {
      const { room, role } = await access.visible(viewer, roomId);
      const [materials, modules] = await Promise.all([repo.materialsOf(room.id), deps.modules.publishedModules()]);
      const bySlug = new Map(modules.map((m) => [m.slug, m]));
      const canLaunch = viewer.roles.includes('learner');
      // a guest's self-study: started from this page, their own attempts; it counts for no qualification (they have none)
      const selfStudy = isGuestOnly(viewer.roles);
      return {
        room,
        role,
        modules,
        items: materials.map((m) => ({
          id: m.id,
          kind: m.kind,
          title: m.title,
          href: m.kind === 'file' ? `/community/files/${m.ref}` : m.kind === 'link' ? m.ref : canLaunch ? '/dashboard' : '',
          description: m.kind === 'module' ? (bySlug.get(m.ref)?.description ?? '') : '',
          /** Where a guest's "Starten" posts: only for a module that is published now. */
          startUrl: selfStudy && m.kind === 'module' && bySlug.has(m.ref) ? `/player/modules/${encodeURIComponent(m.ref)}/start` : '',
        })),
      };
    },
    async addLink(viewer: Viewer, roomId: string, input: { title: string; url: string }): Promise<void> {
      const room = await access.led(viewer, roomId);
      await repo.insertMaterial({ roomId: room.id, kind: 'link', title: input.title, ref: input.url, addedBy: viewer.id, createdAt: clock.now() });
    },
    async addModule(viewer: Viewer, roomId: string, slug: string): Promise<void> {
      const room = await access.led(viewer, roomId);
      const module = (await deps.modules.publishedModules()).find((m) => m.slug === slug);
      if (!module) throw validationError('rooms:errors.moduleNotFound', [{ field: 'slug', message: 'rooms:errors.moduleNotFound' }]);
      await repo.insertMaterial({ roomId: room.id, kind: 'module', title: module.title, ref: slug, addedBy: viewer.id, createdAt: clock.now() });
    },
    /** A document of a lead: checked and stored by the community's files, listed here. */
    async upload(viewer: Viewer, roomId: string, title: string, file: { path: string; originalName: string; done(): Promise<void> }): Promise<void> {
      let room;
      try {
        room = await access.led(viewer, roomId);
      } catch (err) {
        await file.done();
        throw err;
      }
      const { id } = await deps.files.upload(viewer, roomSpaceKey(room.id), file);
      const name = title || file.originalName.slice(0, 200) || 'Dokument';
      await repo.insertMaterial({ roomId: room.id, kind: 'file', title: name, ref: id, addedBy: viewer.id, createdAt: clock.now() });
    },
    async remove(viewer: Viewer, roomId: string, materialId: string): Promise<void> {
      const room = await access.led(viewer, roomId);
      const m = await repo.findMaterial(materialId);
      if (!m || m.roomId !== room.id) throw notFound('rooms:errors.materialNotFound');
      await repo.deleteMaterial(m.id);
      // the stored document goes with it: nothing else links to it (the materials page is its only way in)
      if (m.kind === 'file') await deps.files.remove(viewer, m.ref);
    },
  };
}
export type Materials = ReturnType<typeof createMaterials>;
