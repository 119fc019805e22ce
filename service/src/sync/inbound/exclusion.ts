import { deleteContact, getContact } from '../../directory/contacts';
import { countLinks, deleteLink, findLinksByContact, type Link } from '../../store/state/links';
import { getRecordHealth, setRecordHealth } from '../../store/state/recordHealth';
import { countRecentSalesforceDeletes, recordAudit } from '../../store/audit';
import { contactView } from '../rules/contactView';
import { promoteNextPrimary } from './promotion';
import type { ApplyContext } from './applyResolution';
import type { ExclusionCode } from '../rules/validity';
import { holdDeletes } from '../../store/state/heldDeletes';
import { heldBefore } from './deletes';
import { decideMassDelete, EVENT_WINDOW_MINUTES } from '../rules/massDeleteGuard';

/**
 * A Salesforce record the validity rules keep out of the directory: its record_health entry says why
 * (visible per record and org), and an already linked contact leaves the directory when it was born in
 * Salesforce and no other record links it — otherwise only the link goes (the next record of the org
 * takes over as primary). Audited when the exclusion is new or its reason changed, not on every event.
 *
 * Taking a contact out is a delete as far as the directory's users can tell, so it passes the
 * mass-deletion guard (massDeleteGuard.ts) like one: above the threshold the link and contact stay, the
 * removal is held for an admin (outcome 'held': the runtime pauses the sync), and the record shows as
 * excluded meanwhile.
 */
export async function excludeRecord(
  ctx: ApplyContext,
  link: Link | null,
  verdict: { code: ExclusionCode; reason: string },
): Promise<{ outcome: 'excluded' | 'held'; contactId: string | null }> {
  const { tx, settings, record } = ctx;
  const previous = await getRecordHealth(tx, settings.orgId, 'salesforce', record.id);
  await setRecordHealth(tx, {
    orgId: settings.orgId,
    side: 'salesforce',
    key: record.id,
    sobject: ctx.objectName,
    recordId: record.id,
    state: 'excluded',
    code: verdict.code,
    reason: verdict.reason,
  });
  const rule = `${ctx.rule}: ${ctx.objectName} ${record.id} excluded (${verdict.code}): ${verdict.reason}`;
  if (!link) {
    if (previous?.state !== 'excluded' || previous.reason !== verdict.reason) {
      await recordAudit(tx, {
        orgId: settings.orgId,
        contactId: null,
        recordId: record.id,
        origin: 'salesforce',
        action: 'excluded',
        rule,
        before: null,
        after: null,
      });
    }
    return { outcome: 'excluded', contactId: null };
  }
  const before = await getContact(tx, link.contactId);
  const others = before ? (await findLinksByContact(tx, before.id)).filter((l) => l.id !== link.id).length : 0;
  const remove = before !== null && before.source === 'salesforce' && others === 0;
  if (remove && (await holdRemoval(ctx, rule))) return { outcome: 'held', contactId: link.contactId };
  await deleteLink(tx, link.id);
  if (remove) await deleteContact(tx, before.id);
  const effect = remove
    ? 'contact removed from the directory'
    : before === null
      ? 'the directory contact was already gone'
      : before.source !== 'salesforce'
        ? 'contact kept, unlinked: it was created in the phone system'
        : `contact kept, unlinked: still linked to ${others} other record(s)`;
  await recordAudit(tx, {
    orgId: settings.orgId,
    contactId: link.contactId,
    recordId: record.id,
    origin: 'salesforce',
    action: 'excluded',
    rule: `${rule}; ${effect}`,
    before: before ? contactView(before) : null,
    after: remove || !before ? null : contactView(before),
  });
  if (before && !remove && link.role === 'primary') await promoteNextPrimary(tx, settings, before.id, ctx.rule, link);
  return { outcome: 'excluded', contactId: link.contactId };
}

/** The guard's verdict on one more contact leaving the directory; true when it holds the removal. */
async function holdRemoval(ctx: ApplyContext, rule: string): Promise<boolean> {
  const { tx, settings, record, objectName } = ctx;
  const held = await heldBefore(tx, settings.orgId, [record.id]);
  const decision = decideMassDelete({
    linked: await countLinks(tx, settings.orgId),
    recent: await countRecentSalesforceDeletes(tx, settings.orgId, EVENT_WINDOW_MINUTES),
    incoming: 1,
    incomingHeld: held.among,
    thresholdPercent: settings.policy.massDeleteThresholdPercent,
    alreadyHeld: held.salesforce + held.directory,
    heldDirectory: held.directory,
  });
  if (!decision.hold || !decision.reason) return false;
  await holdDeletes(tx, settings.orgId, [
    { recordId: record.id, sobject: objectName, cause: 'excluded', origin: 'event', reason: decision.reason },
  ]);
  await recordAudit(tx, {
    orgId: settings.orgId,
    contactId: null,
    recordId: record.id,
    origin: 'system',
    action: 'deletes-held',
    rule: `${rule}; the contact's removal is held: ${decision.reason}`,
    before: null,
    after: { held: [record.id] },
  });
  return true;
}
