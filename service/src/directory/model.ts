/** The telephony directory's own vocabulary, independent of Salesforce field names. */
export const PHONE_KINDS = ['work', 'mobile', 'home', 'other'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];

export interface DirectoryPhone {
  kind: PhoneKind;
  /** As typed on the side it came from; shown to people. */
  raw: string;
  /** E.164 (`+14155552671`), or null when the raw value is no valid number. Matching uses only this. */
  e164: string | null;
  /** Digits after x / ext., kept apart from the E.164 number. */
  extension: string | null;
}

/**
 * Where a contact was born: in Salesforce (came through a sync), in the phone system, or 'internal': a
 * Salesforce user pulled in as an internal extension by the systems check (sync/inbound/userDirectory.ts).
 */
export type ContactSource = 'salesforce' | 'telephony' | 'internal';

export interface DirectoryContact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  phones: DirectoryPhone[];
  source: ContactSource;
  createdAt: string;
  updatedAt: string;
  /** Increases on every write; PATCH may send it back for optimistic concurrency. */
  version: number;
  /**
   * Labels a telephony client sets (never sent to Salesforce); a phone-book feed can list one tag. Always present
   * on contacts the store returns; optional so shapes built elsewhere (fixtures, views) need not carry it.
   */
  tags?: string[];
}

/** The editable fields; phones replace the whole list when given. */
export interface ContactFields {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  title?: string | null;
  email?: string | null;
  phones?: DirectoryPhone[];
  /** Replaces the whole list when given. */
  tags?: string[];
}
