/**
 * What the results read of the platform's other components besides the rooms (ports.ts): the LRS
 * for the "shared" statement, and people's names (the publisher's, where they opted in to be
 * named). The composition root hands both in.
 */
export interface StatementsPort {
  storeStatements(statements: unknown[]): Promise<string[]>;
}

export interface PeoplePort {
  /** Display names by id; unknown (erased) ids are left out. */
  namesOf(ids: string[]): Promise<Map<string, string>>;
}

/** Who asks, as the services take it. */
export interface Viewer {
  id: string;
  roles: string[];
}
