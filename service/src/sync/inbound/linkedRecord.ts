import { getContact, insertContact } from '../../directory/contacts';
import type { DirectoryContact } from '../../directory/model';
import { findOrgLinksByContacts, updateLink, type Link } from '../../store/state/links';
import { lockMatchKeys } from '../../store/state/matchKeyLocks';
import { sfToDirectory, type TelephonyField } from '../rules/fieldMap';
import { stableHash } from '../rules/hash';
import { contactView } from '../rules/contactView';
import { changedValues } from '../outbound/writeBackPayload';
import { addedMatchKeys, compareCandidates, describeChoice, rankCandidates, toCandidate } from '../rules/matching';
import { flatten, resolveChange, type ChangeInput } from '../rules/conflict';
import {
  auditCreated,
  commitResolution,
  incomingTelephonyFields,
  takeOverAsPrimary,
  type ApplyContext,
} from './applyResolution';
import type { RecordOutcome } from './recordOutcome';

/**
 * A record already linked to a directory contact. As the primary, its change merges with what the
 * directory changed since the last sync (conflict kind b). As a secondary, its values stay on its link —
 * never written into the contact — unless it outranks the primary (rank does not change with edits: a
 * record of an older link that lost its primary place by an older rule), then it takes over
 * (applyResolution.ts joinAsPrimary).
 */
export async function applyLinked(
  ctx: ApplyContext,
  link: Link,
): Promise<{ outcome: RecordOutcome; contactId: string }> {
  const { tx, settings, record } = ctx;
  const contact = await getContact(tx, link.contactId);
  if (!contact) return recreate(ctx, link);
  if (link.role === 'primary') {
    const { changed } = await commitResolution(ctx, {
      contact,
      link: { existing: link },
      resolution: resolveChange(changeInput(ctx, contact, link)),
      kind: 'b',
      note: '',
    });
    return { outcome: changed ? 'updated' : 'unchanged', contactId: contact.id };
  }
  const primary = (await findOrgLinksByContacts(tx, settings.orgId, [contact.id])).find((l) => l.role === 'primary');
  const me = { sobject: ctx.objectName, recordId: record.id, modstamp: record.systemModstamp ?? link.sfModstamp };
  if (primary && compareCandidates(me, toCandidate(primary)) > 0) {
    await updateLink(tx, link.id, { sfValues: ctx.values, sfHash: ctx.sfHash, sfModstamp: me.modstamp });
    return { outcome: 'secondary', contactId: contact.id };
  }
  const resolution = await takeOverAsPrimary(ctx, contact, primary);
  const why = primary
    ? describeChoice(rankCandidates([me, toCandidate(primary)]))
    : 'the org had no primary record for this contact';
  const { changed } = await commitResolution(ctx, {
    contact,
    link: { existing: link, role: 'primary' },
    resolution,
    kind: 'a',
    note: `becomes the primary record: ${why}`,
  });
  return { outcome: changed ? 'updated' : 'unchanged', contactId: contact.id };
}

/**
 * Per directory field the record feeds: whether Salesforce changed it since the last sync (against the
 * link's values), and what the directory held of it then. A link without stored values knows no history:
 * every field counts as changed in Salesforce, none in the directory.
 */
export function changeInput(ctx: ApplyContext, contact: DirectoryContact, link: Link): ChangeInput {
  const telephonyFields = incomingTelephonyFields(ctx);
  const base = link.sfValues;
  const changedSf = new Set(Object.keys(changedValues(ctx.values, base ?? {})));
  const sfChanged: TelephonyField[] = [];
  const known: TelephonyField[] = [];
  const knownSf: string[] = [];
  for (const [field, sfFields] of telephonyFields) {
    if (base && !sfFields.some((f) => changedSf.has(f))) continue;
    sfChanged.push(field);
    if (base && sfFields.every((f) => f in base)) {
      known.push(field);
      knownSf.push(...sfFields);
    }
  }
  const baseValues = Object.fromEntries(Object.entries(base ?? {}).filter(([f]) => knownSf.includes(f)));
  const baseFields = sfToDirectory(ctx.settings.mappings, ctx.objectName, baseValues, ctx.settings.defaultCountry);
  return {
    directory: flatten(contact, telephonyFields.keys()),
    salesforce: flatten(ctx.fields, telephonyFields.keys()),
    base: flatten(baseFields, known),
    sfChanged,
    winner: ctx.settings.policy.conflictWinner,
  };
}

/** The linked contact is gone (removed between two reads): the record gets a new one. */
async function recreate(ctx: ApplyContext, link: Link): Promise<{ outcome: RecordOutcome; contactId: string }> {
  const { tx, record } = ctx;
  await lockMatchKeys(tx, addedMatchKeys({}, ctx.fields));
  const after = await insertContact(tx, ctx.fields, 'salesforce');
  await updateLink(tx, link.id, {
    contactId: after.id,
    sfValues: ctx.values,
    sfHash: ctx.sfHash,
    sfModstamp: record.systemModstamp ?? link.sfModstamp,
    telephonyHash: stableHash(contactView(after)),
  });
  return auditCreated(ctx, after);
}
