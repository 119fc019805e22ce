import type { Queryable } from '../../store/types';
import { isSyncedObject } from '../../model/records';
import { getContact } from '../../directory/contacts';
import { findOrgLinksByContacts, type Link } from '../../store/state/links';
import { sfToDirectory } from '../rules/fieldMap';
import { stableHash } from '../rules/hash';
import { describeChoice, rankCandidates, toCandidate } from '../rules/matching';
import { commitResolution, joinAsPrimary, type ApplyContext } from './applyResolution';
import type { OrgSyncSettings } from '../rules/context';

/**
 * After the org's primary link to a contact went (its record was deleted, left the scope or was
 * excluded), the best-ranked remaining record of the org becomes the primary, and its last known values
 * join the contact as a take-over (applyResolution.ts joinAsPrimary): what the contact still holds of the
 * departed primary's values gives way to the new primary's, the rest joins by conflict kind (a). Nothing
 * happens while a primary remains or when no record of the org is left. Returns the promoted link.
 */
export async function promoteNextPrimary(
  tx: Queryable,
  settings: OrgSyncSettings,
  contactId: string,
  rule: string,
  departed: Link,
): Promise<Link | null> {
  const orgLinks = await findOrgLinksByContacts(tx, settings.orgId, [contactId]);
  if (orgLinks.length === 0 || orgLinks.some((l) => l.role === 'primary')) return null;
  const ranked = rankCandidates(orgLinks.map((link) => ({ ...toCandidate(link), link })));
  const next = ranked[0].link;
  const contact = await getContact(tx, contactId);
  if (!contact || !isSyncedObject(next.sobject)) return null;
  const values = next.sfValues ?? {};
  const ctx: ApplyContext = {
    tx,
    settings,
    objectName: next.sobject,
    record: { id: next.recordId, systemModstamp: next.sfModstamp, values },
    values,
    sfHash: next.sfHash ?? stableHash(values),
    fields: sfToDirectory(settings.mappings, next.sobject, values, settings.defaultCountry),
    rule,
  };
  const resolution = joinAsPrimary(ctx, contact, departed);
  const why =
    ranked.length > 1 ? describeChoice(ranked) : `${next.sobject} ${next.recordId} is the only record of the org left`;
  const { link } = await commitResolution(ctx, {
    contact,
    link: { existing: next, role: 'primary' },
    resolution,
    kind: 'a',
    note: `the primary record went; ${why}`,
  });
  return link;
}
