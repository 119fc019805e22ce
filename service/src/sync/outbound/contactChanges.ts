import type { Database } from '../../store/types';
import type { ContactFields, DirectoryContact } from '../../directory/model';
import { findLinksByContact } from '../../store/state/links';
import type { OrgSyncSettings, SettingsLookup } from '../rules/context';
import { editContactFromTelephony } from './telephonyEdit';
import {
  createContactFromTelephony,
  reevaluateCreates,
  type TelephonyCreateResult,
  type WithNewContact,
  writesToSalesforce,
} from './telephonyCreate';
import { deleteContactFromTelephony, type TelephonyDeleteResult } from './telephonyDelete';

/** What a change from the phone side needs to know of the connected orgs (the HTTP API's options). */
export interface ContactChangeContext {
  db: Database;
  settingsOf: SettingsLookup;
  /** The connected orgs: a new contact is offered to each. */
  orgs(): Array<{ id: string }>;
  /** Told the orgs a change queued write-backs in, so their workers look now rather than at the next tick. */
  onWriteBackQueued(orgIds: string[]): void;
}

export interface ContactEditOutcome {
  contact: DirectoryContact;
  /** Updates queued for the contact's linked Salesforce records. */
  queuedWriteBacks: number;
  /** Creates queued or refreshed by the edit (an excluded contact may qualify now). */
  queuedCreates: number;
}

/**
 * The directory's contacts as the phone side changes them (the HTTP API's POST, PATCH and DELETE), each
 * one call: the change with its write-backs queued (telephonyCreate, telephonyEdit, telephonyDelete),
 * then the write-back workers of the orgs it queued something in are woken.
 */
export class ContactChanges {
  constructor(private readonly context: ContactChangeContext) {}

  /**
   * A new contact, offered to every connected org (a create queued, or excluded saying why); `withContact`
   * runs in the same transaction and may undo it all by throwing.
   */
  async create(fields: ContactFields, withContact?: WithNewContact): Promise<TelephonyCreateResult> {
    const result = await createContactFromTelephony(this.context.db, this.connectedOrgs(), fields, { withContact });
    if (!result) throw new Error('a create without unlessNumberKnown always creates');
    this.wake(result.queuedIn);
    return result;
  }

  /**
   * A contact for a caller nobody has: "Caller +1…" with the number, created in the orgs whose sync says so
   * (Unknown_Callers__c: a Lead or a Contact there, whatever the sync's default object) and take telephony-side
   * creates. Null, and nothing made, when no org wants it or the number is known by the time its keys are
   * locked (calls at once, or minutes apart, make one contact — never two records in one org).
   */
  async createForUnknownCaller(e164: string): Promise<TelephonyCreateResult | null> {
    const orgs = this.connectedOrgs().flatMap((settings) => {
      const object = settings.policy.calls.unknownCallers;
      if (object === 'none' || !writesToSalesforce(settings)) return [];
      return [{ ...settings, policy: { ...settings.policy, defaultObject: object } }];
    });
    if (orgs.length === 0) return null;
    const fields: ContactFields = {
      lastName: `Caller ${e164}`,
      phones: [{ kind: 'work', raw: e164, e164, extension: null }],
    };
    const result = await createContactFromTelephony(this.context.db, orgs, fields, { unlessNumberKnown: e164 });
    if (result) this.wake(result.queuedIn);
    return result;
  }

  /**
   * An edit: the directory change and its write-backs (VersionConflictError when the contact moved past
   * `expectedVersion`), then the contact's creates looked at again. That second step is a transaction of
   * its own: should it not run, the exclusion stays recorded and the next edit tries again. Null when the
   * contact does not exist.
   */
  async edit(contactId: string, fields: ContactFields, expectedVersion?: number): Promise<ContactEditOutcome | null> {
    const { db, settingsOf } = this.context;
    const result = await editContactFromTelephony(db, settingsOf, contactId, fields, expectedVersion);
    if (!result) return null;
    const queued: string[] = [];
    if (result.queuedWriteBacks > 0) queued.push(...(await findLinksByContact(db, contactId)).map((l) => l.orgId));
    const creates = await reevaluateCreates(db, this.connectedOrgs(), contactId);
    this.wake([...queued, ...creates]);
    return { contact: result.contact, queuedWriteBacks: result.queuedWriteBacks, queuedCreates: creates.length };
  }

  /** A delete: the contact goes, its linked records are deleted in Salesforce or unlinked. Null when it does not exist. */
  async delete(contactId: string): Promise<TelephonyDeleteResult | null> {
    const result = await deleteContactFromTelephony(this.context.db, this.context.settingsOf, contactId);
    if (result) this.wake(result.deleting.map((d) => d.orgId));
    return result;
  }

  /** The settings of the connected orgs that have them. */
  private connectedOrgs(): OrgSyncSettings[] {
    return this.context.orgs().flatMap((o) => {
      const settings = this.context.settingsOf(o.id);
      return settings ? [settings] : [];
    });
  }

  private wake(orgIds: Iterable<string>): void {
    const unique = [...new Set(orgIds)];
    if (unique.length > 0) this.context.onWriteBackQueued(unique);
  }
}
