/**
 * What the public results ("Ergebnisse", issue #21) read of the Experimentierräume. The rooms
 * component (src/rooms) implements this; the composition root hands it in. Nothing here carries a
 * participant's name, e-mail or company: the publication owns what leaves the room.
 */
export type CompanySize = '1-9' | '10-49' | '50-249' | '250+';

/** A finished room as its lead Lotse may publish it; the texts are the Lotse's curated results board. */
export interface RoomSummarySource {
  roomId: string;
  title: string;
  topic: string;
  /** One of src/accounts/roles.ts REGIONS. */
  region: string;
  status: 'planned' | 'running' | 'finished';
  /** Trades (Gewerke/Branchen) of the participating companies, distinct. */
  trades: string[];
  companySizes: CompanySize[];
  datesHeld: number;
  companyCount: number;
  participantCount: number;
  /** First and last date held. */
  heldFrom?: Date;
  heldUntil?: Date;
  /** The results board, per date held, in date order. */
  results: Array<{ dateIndex: number; tried: string; worked: string; nextSteps: string }>;
  /**
   * Words that must never appear in a published summary: the names, e-mail addresses and company
   * names of everyone in the room (participants, co-moderators, experts, the Lotse).
   */
  personalTerms: string[];
}

export interface RoomPractice {
  roomId: string;
  title: string;
  topic: string;
  region: string;
  status: 'planned' | 'running' | 'finished';
  datesHeld: number;
  companyCount: number;
  heldFrom?: Date;
  heldUntil?: Date;
}

export interface RoomsPort {
  /** The room's summary source, or undefined when it does not exist. */
  summarySource(roomId: string): Promise<RoomSummarySource | undefined>;
  /** Whether the user leads the room (its opening Lotse or a co-moderator): they decide what is published. */
  leads(roomId: string, userId: string): Promise<boolean>;
  /** The rooms the Lotse opened or co-moderated, newest first (their practice). */
  practiceOf(lotseId: string): Promise<RoomPractice[]>;
}
