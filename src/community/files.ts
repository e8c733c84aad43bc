import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import { sniffEvidenceType } from '../qualification/evidence-check.ts';
import type { FileRepository } from './file-repository.ts';
import type { Membership } from './membership.ts';
import type { Viewer } from './ports.ts';

/** At most this large; the multer limit turns more into 413. */
export const COMMUNITY_FILE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Images and PDFs for posts, checked like evidence: by their first bytes (PDF, PNG, JPEG; never SVG),
 * stored under a safe name, served only to members of the space they were uploaded to.
 */
export function createFiles(deps: { repo: FileRepository; membership: Membership }) {
  return {
    /** Stores an upload of a member; returns the Markdown that shows it in a post. */
    async upload(viewer: Viewer, key: string, file: { path: string; originalName: string; done(): Promise<void> }): Promise<{ id: string; markdown: string }> {
      try {
        await deps.membership.assertMember(viewer, key);
        const sniffed = await sniffEvidenceType(file.path);
        if (!sniffed) throw new DomainError('unsupported', 'community:errors.fileType');
        const label = file.originalName.replace(/[[\]()\n\r]/g, '').slice(0, 100) || `datei.${sniffed.ext}`;
        const id = await deps.repo.store(file.path, { spaceKey: key, uploaderId: viewer.id, contentType: sniffed.type, fileName: `anhang.${sniffed.ext}` });
        const url = `/community/files/${id}`;
        return { id, markdown: sniffed.type.startsWith('image/') ? `![${label}](${url})` : `[${label}](${url})` };
      } finally {
        await file.done();
      }
    },
    /** Deletes a file: its uploader or a moderator of its space may (a room's lead removing a document from the materials). */
    async remove(viewer: Viewer, fileId: string): Promise<void> {
      const f = await deps.repo.find(fileId);
      if (!f) return;
      const access = await deps.membership.assertMember(viewer, f.spaceKey);
      if (f.uploaderId !== viewer.id && !access.moderator) throw forbidden('community:errors.notModerator');
      await deps.repo.delete(f.id);
    },
    /** The file for a member of its space. */
    async forMember(viewer: Viewer, fileId: string) {
      const f = await deps.repo.find(fileId);
      if (!f) throw notFound('community:errors.fileNotFound');
      await deps.membership.assertMember(viewer, f.spaceKey);
      return { file: f, stream: deps.repo.open(f.id) };
    },
  };
}
export type Files = ReturnType<typeof createFiles>;
