import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { mongo, type Connection } from 'mongoose';
import { isObjectId } from '../shared/object-id.ts';

export const FILE_BUCKET = 'community_files';

export interface CommunityFile {
  id: string;
  spaceKey: string;
  uploaderId: string;
  contentType: string;
  fileName: string;
  length: number;
}

/** Images and PDFs attached to posts, in GridFS like the qualification's evidence; the space and uploader in the metadata. */
export function createFileRepository(connection: Connection) {
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: FILE_BUCKET });
  const files = () => connection.db!.collection(`${FILE_BUCKET}.files`);
  return {
    async store(tempPath: string, meta: Omit<CommunityFile, 'id' | 'length'>): Promise<string> {
      const upload = bucket().openUploadStream(meta.fileName, {
        metadata: { spaceKey: meta.spaceKey, uploaderId: meta.uploaderId, contentType: meta.contentType },
      });
      await pipeline(createReadStream(tempPath), upload);
      return upload.id.toString();
    },
    async find(fileId: string): Promise<CommunityFile | undefined> {
      if (!isObjectId(fileId)) return undefined;
      const [f] = await bucket()
        .find({ _id: new mongo.ObjectId(fileId) })
        .toArray();
      if (!f) return undefined;
      const m = (f.metadata ?? {}) as { spaceKey?: string; uploaderId?: string; contentType?: string };
      return {
        id: fileId,
        spaceKey: m.spaceKey ?? '',
        uploaderId: m.uploaderId ?? '',
        contentType: m.contentType ?? 'application/octet-stream',
        fileName: f.filename,
        length: f.length,
      };
    },
    open: (fileId: string) => bucket().openDownloadStream(new mongo.ObjectId(fileId)),
    /** Deletes one file (its chunks with it); one already gone is no error. */
    async delete(fileId: string): Promise<void> {
      if (!isObjectId(fileId)) return;
      await bucket()
        .delete(new mongo.ObjectId(fileId))
        .catch((err: unknown) => {
          if (!(err instanceof mongo.MongoRuntimeError && /not found/i.test(err.message))) throw err;
        });
    },
    // privacy
    async uploadedBy(userId: string): Promise<Array<{ id: string; fileName: string; spaceKey: string; uploadedAt: Date }>> {
      const list = await files().find({ 'metadata.uploaderId': userId }).toArray();
      return list.map((f) => ({
        id: String(f._id),
        fileName: String(f.filename),
        spaceKey: String(f.metadata?.spaceKey ?? ''),
        uploadedAt: f.uploadDate as Date,
      }));
    },
    async deleteUploadedBy(userId: string): Promise<void> {
      for (const f of await files()
        .find({ 'metadata.uploaderId': userId }, { projection: { _id: 1 } })
        .toArray()) {
        await bucket()
          .delete(f._id as mongo.ObjectId)
          .catch(() => {});
      }
    },
  };
}
export type FileRepository = ReturnType<typeof createFileRepository>;
