import type { Region, SessionUser } from '../accounts/roles.ts';

/**
 * What the Experimentierräume read of other components, handed in by the composition root
 * (src/app.ts): whether someone is a certified Lotse, people's accounts (and the light guest
 * accounts they make), the community's file store for documents, the published Q1 modules and the LRS.
 */
export interface CertifiedPort {
  /** Whether the person holds a certificate that is not revoked (a certified Lotse). */
  isCertified(userId: string): Promise<boolean>;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  organisation: string;
  roles: string[];
}

export interface PeoplePort {
  findUsers(ids: string[]): Promise<Person[]>;
  findUsersByEmails(emails: string[]): Promise<Person[]>;
  /** A light account with the role guest only; the consent to the privacy notice is recorded with it. */
  registerGuest(input: { name: string; email: string; organisation: string; region: Region; password: string }): Promise<SessionUser>;
}

/** The community's attachments (magic bytes, size limit, GridFS, served to the space's members). */
export interface FilesPort {
  upload(viewer: Viewer, spaceKey: string, file: { path: string; originalName: string; done(): Promise<void> }): Promise<{ id: string; markdown: string }>;
  /** Deletes a file its uploader or a moderator of its space removes. */
  remove(viewer: Viewer, fileId: string): Promise<void>;
}

export interface ModulesPort {
  /** The published modules (title and description), for self-study material. */
  publishedModules(): Promise<Array<{ slug: string; title: string; description: string }>>;
}

export interface StatementsPort {
  storeStatements(statements: unknown[]): Promise<string[]>;
}

/** Who asks, as the services take it. */
export interface Viewer {
  id: string;
  roles: string[];
}

/** The demo's certified Lotse, who leads the demo room (demo-data.ts); read only when demo data is on. */
export interface DemoPort {
  lotse(): Promise<Viewer | undefined>;
}
