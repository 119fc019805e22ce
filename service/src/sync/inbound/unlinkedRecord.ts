import { getContact, insertContact } from '../../directory/contacts';
import { createLink, type Link } from '../../store/state/links';
import { recordAudit } from '../../store/audit';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import { describeChoice, primaryOf, rankCandidates, toCandidate } from '../rules/matching';
import { chooseContact, type ContactChoice } from './contactChoice';
import { auditCreated, commitResolution, takeOverAsPrimary, type ApplyContext } from './applyResolution';
import type { RecordOutcome } from './recordOutcome';

/**
 * A record not linked yet: it joins the directory contact its match keys point to — never a duplicate of
 * the same person — or a new contact is created. Joining a contact the org already links to another
 * record, it becomes the primary only if it outranks that record (Contact > Lead > Person Account, then
 * the older record: rules/matching.ts); otherwise it is linked as a secondary and the directory keeps the
 * primary's values, blanks included. Becoming the primary, it takes over (applyResolution.ts joinAsPrimary).
 */
export async function joinOrCreate(ctx: ApplyContext): Promise<{ outcome: RecordOutcome; contactId: string | null }> {
  const { tx, settings, record } = ctx;
  const choice = await chooseContact(tx, settings.orgId, ctx.fields, settings.policy.matchKeys);
  if (!choice) {
    // A sync running telephony → Salesforce only never creates directory contacts from Salesforce.
    if (settings.policy.direction === 'toSalesforce') return { outcome: 'skipped', contactId: null };
    const after = await insertContact(tx, ctx.fields, 'salesforce');
    await createLink(tx, {
      orgId: settings.orgId,
      contactId: after.id,
      sobject: ctx.objectName,
      recordId: record.id,
      role: 'primary',
      sfValues: ctx.values,
      sfHash: ctx.sfHash,
      sfModstamp: record.systemModstamp ?? undefined,
      telephonyHash: stableHash(contactView(after)),
    });
    return auditCreated(ctx, after);
  }

  const contact = await getContact(tx, choice.contactId);
  if (!contact) throw new Error(`directory contact ${choice.contactId} vanished while linking ${record.id}`);
  const me = { sobject: ctx.objectName, recordId: record.id, modstamp: record.systemModstamp };
  const ranked = rankCandidates([me, ...choice.orgLinks.map(toCandidate)]);
  const primary = choice.orgLinks.length > 0 ? primaryOf(choice.orgLinks) : null;
  const note = [matchNote(choice, primary), describeChoice(ranked)].filter(Boolean).join('; ');
  if (primary && ranked[0] !== me) {
    await createLink(tx, {
      orgId: settings.orgId,
      contactId: contact.id,
      sobject: ctx.objectName,
      recordId: record.id,
      role: 'secondary',
      sfValues: ctx.values,
      sfHash: ctx.sfHash,
      sfModstamp: record.systemModstamp ?? undefined,
    });
    await recordAudit(tx, {
      orgId: settings.orgId,
      contactId: contact.id,
      recordId: record.id,
      origin: 'salesforce',
      action: 'link',
      rule: `${ctx.rule}; ${note}; linked as a secondary record, the directory keeps the primary's values`,
      before: contactView(contact),
      after: contactView(contact),
    });
    return { outcome: 'secondary', contactId: contact.id };
  }
  const resolution = await takeOverAsPrimary(ctx, contact, primary);
  await commitResolution(ctx, { contact, link: { create: 'primary' }, resolution, kind: 'a', note });
  return { outcome: 'linked', contactId: contact.id };
}

function matchNote(choice: ContactChoice, primary: Link | null): string {
  const whose = primary ? `the contact of ${primary.sobject} ${primary.recordId}` : 'a contact not linked in this org';
  const note = `matched by ${choice.matchedBy} ${whose} (${choice.contactId})`;
  if (choice.matched.length < 2) return note;
  const why = primary ? 'its primary record ranks highest' : 'it is not linked in this org yet';
  return `${note}, chosen of ${choice.matched.length} matching contacts (${choice.matched.map((m) => m.contactId).join(', ')}) because ${why}`;
}
