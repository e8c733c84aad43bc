import { mongo, type Connection } from 'mongoose';

/** Attachment contents in GridFS (lrs_attachments), content-addressed by their sha2 (Data §2.4.11). */
export function createAttachmentStore(connection: Connection) {
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: 'lrs_attachments' });
  const hasAttachment = async (sha2: string): Promise<boolean> => (await bucket().find({ filename: sha2 }, { limit: 1 }).toArray()).length > 0;
  return {
    hasAttachment,

    /** A hash already stored is not stored twice. */
    async putAttachment(sha2: string, contentType: string, content: Buffer): Promise<void> {
      if (await hasAttachment(sha2)) return;
      await new Promise<void>((resolve, reject) => {
        const up = bucket().openUploadStream(sha2, { metadata: { contentType } });
        up.once('finish', () => resolve());
        up.once('error', reject);
        up.end(content);
      });
    },

    async getAttachment(sha2: string): Promise<Buffer | undefined> {
      if (!(await hasAttachment(sha2))) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of bucket().openDownloadStreamByName(sha2)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}
