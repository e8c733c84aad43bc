import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { outboxModel } from './model.ts';
import type { LrsPort } from './ports.ts';

/**
 * The LRS port used while no LRS component is wired in: statements go to an outbox collection (as
 * JSON text, since extension keys contain dots) and can be replayed into the LRS later.
 */
export function createStatementOutbox(connection: Connection): LrsPort & { pending(): Promise<unknown[]> } {
  const Outbox = outboxModel(connection);
  return {
    async storeStatements(statements) {
      const ids: string[] = [];
      for (const s of statements) {
        const st = s as { id?: string };
        const statementId = typeof st.id === 'string' ? st.id : randomUUID();
        await Outbox.updateOne({ statementId }, { $setOnInsert: { statementId, statement: JSON.stringify({ ...st, id: statementId }), createdAt: new Date() } }, { upsert: true });
        ids.push(statementId);
      }
      return ids;
    },
    async pending() {
      const docs = await Outbox.find({}).sort({ createdAt: 1 }).lean();
      return docs.map((d) => JSON.parse(d.statement) as unknown);
    },
  };
}
