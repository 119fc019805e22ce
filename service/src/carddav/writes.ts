import type { Request, Response } from 'express';
import { VersionConflictError } from '../sync/outbound/telephonyEdit';
import {
  cardResourceNamed,
  CardResourceTaken,
  claimCardResource,
  contactIdWithUid,
  cardResourcesOf,
  saveCardResource,
} from '../directory/carddavResources';
import { getContact } from '../directory/contacts';
import type { Target } from './paths';
import { CARD_CONTENT_TYPE, etagOf, MAX_CARD_BYTES } from './properties';
import { renderCard } from './cards';
import { sendError, type CarddavContext } from './responses';
import { parseVcard, VcardInputError, type ContactInput, type ParsedCard } from './vcardInput';
import { CARDDAV, clark, escapeXml } from './xml';

/**
 * GET, PUT and DELETE of one card. A PUT or DELETE is a telephony-side edit through the same domain calls as the
 * REST API (ContactChanges: create like POST, edit like PATCH with the ETag as expected version, delete like DELETE),
 * so outbox rows, audit, conflict rules and write-back are the same. Preconditions (RFC 7232, RFC 6352 §6.3.2):
 * `If-None-Match: *` creates only; `If-Match` writes only over the version it names (412 otherwise). A PUT answers
 * without an ETag: the directory stores fields, not the client's text, so what GET returns differs from what was
 * sent (RFC 7231 §4.3.4); clients read the new ETag with their next listing.
 */

type CardTarget = Extract<Target, { kind: 'card' }>;

function requireCard(res: Response, target: Exclude<Target, { kind: 'none' }>, method: string): target is CardTarget {
  if (target.kind === 'card') return true;
  res.set('Allow', 'OPTIONS, PROPFIND, REPORT').status(405).type('text/plain').send(`${method} applies to cards only`);
  return false;
}

/** The entity tags of an If-Match / If-None-Match header; `*` as ['*']. */
function etags(header: string | undefined): string[] | null {
  if (header === undefined) return null;
  if (header.trim() === '*') return ['*'];
  return [...header.matchAll(/(?:W\/)?("[^"]*")/g)].map((m) => m[1] as string);
}

/** The version an If-Match names (`"12"` → 12), or null for `*` or a tag no version of ours looks like. */
function versionOfEtag(tag: string): number | null {
  const match = /^"(\d{1,15})"$/.exec(tag);
  return match ? Number(match[1]) : null;
}

function wantsVcard4(req: Request): boolean {
  return /version\s*=\s*"?4\.0/i.test(req.get('accept') ?? '');
}

export async function getCard(
  context: CarddavContext,
  req: Request,
  res: Response,
  target: Exclude<Target, { kind: 'none' }>,
): Promise<void> {
  if (!requireCard(res, target, req.method)) return;
  const resource = await cardResourceNamed(context.db, target.name);
  const contact = resource ? await getContact(context.db, resource.contactId) : null;
  if (!resource || !contact) {
    res.status(404).type('text/plain').send(`no card ${target.name} in ${target.book}`);
    return;
  }
  const etag = etagOf(contact);
  res
    .set('ETag', etag)
    .set('Last-Modified', new Date(contact.updatedAt).toUTCString())
    .set('Cache-Control', 'no-cache');
  const ifNoneMatch = etags(req.get('if-none-match'));
  if (ifNoneMatch && (ifNoneMatch.includes('*') || ifNoneMatch.includes(etag))) {
    res.status(304).end();
    return;
  }
  const text = renderCard(contact, resource.uid, wantsVcard4(req) ? '4.0' : '3.0');
  res.status(200).type(CARD_CONTENT_TYPE);
  if (req.method === 'HEAD') {
    res.set('Content-Length', String(Buffer.byteLength(text, 'utf8'))).end();
    return;
  }
  res.send(text);
}

const PROPERTY_OF_FIELD: Readonly<Record<string, string>> = {
  firstName: 'N',
  lastName: 'N',
  company: 'ORG',
  title: 'TITLE',
  email: 'EMAIL',
};

/** The vCard property an API field name stands for, with the TEL's position for a phone. */
function propertyOf(field: string, parsed: ParsedCard): string {
  const phone = /^phones\[(\d+)\]/.exec(field);
  if (phone) return `TEL (number ${parsed.phoneSources[Number(phone[1])] ?? '?'})`;
  if (field === 'phones') return 'TEL';
  return PROPERTY_OF_FIELD[field] ?? 'VCARD';
}

function invalidCard(res: Response, href: string, property: string, message: string): void {
  sendError(
    res,
    400,
    clark(CARDDAV, 'valid-address-data'),
    `${property}: ${message} (resource ${href}); nothing was stored`,
  );
}

export async function putCard(
  context: CarddavContext,
  req: Request,
  res: Response,
  target: Exclude<Target, { kind: 'none' }>,
  body: string,
  raced = false,
): Promise<void> {
  if (!requireCard(res, target, 'PUT')) return;
  const href = context.hrefs.card(target.book, target.name);
  const type = req.get('content-type');
  if (type && !/^\s*text\/(vcard|x-vcard|directory)\b/i.test(type)) {
    sendError(res, 415, clark(CARDDAV, 'supported-address-data'), `a card is text/vcard, not ${type.split(';')[0]}`);
    return;
  }
  if (Buffer.byteLength(body, 'utf8') > MAX_CARD_BYTES) {
    sendError(res, 413, clark(CARDDAV, 'max-resource-size'), `a card may have at most ${MAX_CARD_BYTES} bytes`);
    return;
  }
  let parsed: ParsedCard;
  try {
    parsed = parseVcard(body);
  } catch (err) {
    if (err instanceof VcardInputError)
      return invalidCard(res, href, err.property, err.message.slice(err.property.length + 2));
    throw err;
  }
  const existing = await cardResourceNamed(context.db, target.name);
  const ifMatch = etags(req.get('if-match'));
  const ifNoneMatch = etags(req.get('if-none-match'));
  if (existing && ifNoneMatch && (ifNoneMatch.includes('*') || ifNoneMatch.includes(etagOf(existing)))) {
    return preconditionFailed(res, `${href} exists already (If-None-Match)`);
  }
  if (!existing && ifMatch) return preconditionFailed(res, `${href} does not exist (If-Match)`);
  let expectedVersion: number | undefined;
  if (existing && ifMatch && !ifMatch.includes('*')) {
    const versions = ifMatch.map(versionOfEtag);
    if (!versions.includes(existing.version)) {
      return preconditionFailed(res, `${href} has changed: its ETag is ${etagOf(existing)} (If-Match)`);
    }
    expectedVersion = existing.version;
  }
  // RFC 6352 §6.3.2.1 no-uid-conflict: one UID, one card (checked again under a lock when the card is created).
  if (parsed.uid) {
    const holder = await contactIdWithUid(context.db, parsed.uid);
    if (holder && holder !== existing?.contactId) return uidConflict(context, res, target, holder);
  }
  const input: ContactInput = { ...parsed.input };
  const current = existing ? await getContact(context.db, existing.contactId) : null;
  // The API never clears a last name (Salesforce requires one): a card without one keeps none only if it had none.
  if (current?.lastName && input.lastName === undefined) input.lastName = '';
  const checked = context.checkContact(input, existing ? 'update' : 'create');
  if ('problem' in checked) {
    return invalidCard(res, href, propertyOf(checked.problem.field, parsed), stripField(checked.problem));
  }
  // A card carries numbers as E.164; a number that did not change keeps the form it was typed in ("(415) 555-2671").
  for (const phone of checked.fields.phones ?? []) {
    const same = current?.phones.find(
      (p) => p.e164 !== null && p.e164 === phone.e164 && p.extension === phone.extension,
    );
    if (same) phone.raw = same.raw;
  }
  if (existing) {
    try {
      const result = await context.changes.edit(existing.contactId, checked.fields, expectedVersion);
      if (!result) return preconditionFailed(res, `${href} was deleted meanwhile`);
    } catch (err) {
      if (err instanceof VersionConflictError)
        return preconditionFailed(res, `${href} has changed meanwhile (If-Match)`);
      throw err;
    }
    await saveCardResource(
      context.db,
      existing.contactId,
      target.name,
      ownUid(parsed.uid, existing.contactId) ?? existing.uid,
    );
    res.status(204).end();
    return;
  }
  // The contact and its name are one transaction: a crash or a concurrent PUT to the same name leaves no
  // contact behind without its card.
  try {
    await context.changes.create(checked.fields, (tx, contact) =>
      claimCardResource(tx, contact.id, target.name, parsed.uid ?? contact.id),
    );
  } catch (err) {
    if (!(err instanceof CardResourceTaken)) throw err;
    if (err.what === 'uid') return uidConflict(context, res, target, err.holderId);
    // Another PUT created this name meanwhile: this one is now a write over it, with its preconditions.
    if (!raced) return putCard(context, req, res, target, body, true);
    return preconditionFailed(res, `${href} was created meanwhile`);
  }
  res.status(201).set('Location', href).end();
}

async function uidConflict(context: CarddavContext, res: Response, target: CardTarget, holder: string): Promise<void> {
  const href = context.hrefs.card(target.book, target.name);
  const [other] = await cardResourcesOf(context.db, [holder]);
  const otherHref = context.hrefs.card(target.book, other?.name ?? holder);
  sendError(
    res,
    409,
    clark(CARDDAV, 'no-uid-conflict'),
    `UID: the card ${otherHref} has this UID already (resource ${href}); nothing was stored`,
    `<D:href>${escapeXml(otherHref)}</D:href>`,
  );
}

/** vCard 4 cards carry a contact's default UID as `urn:uuid:<id>` (vcardOf): that is the default, not a new UID. */
function ownUid(uid: string | null, contactId: string): string | null {
  return uid !== null && uid.toLowerCase() === `urn:uuid:${contactId}` ? contactId : uid;
}

/** The API's messages start with the field name ("lastName: cannot be empty…"): the property replaces it. */
function stripField(problem: { field: string; message: string }): string {
  return problem.message.startsWith(`${problem.field}: `)
    ? problem.message.slice(problem.field.length + 2)
    : problem.message;
}

function preconditionFailed(res: Response, message: string): void {
  res.status(412).type('text/plain').send(message);
}

export async function deleteCard(
  context: CarddavContext,
  req: Request,
  res: Response,
  target: Exclude<Target, { kind: 'none' }>,
): Promise<void> {
  if (!requireCard(res, target, 'DELETE')) return;
  const href = context.hrefs.card(target.book, target.name);
  const existing = await cardResourceNamed(context.db, target.name);
  if (!existing) {
    res.status(404).type('text/plain').send(`no card ${target.name} in ${target.book}`);
    return;
  }
  const ifMatch = etags(req.get('if-match'));
  if (ifMatch && !ifMatch.includes('*') && !ifMatch.includes(etagOf(existing))) {
    return preconditionFailed(res, `${href} has changed: its ETag is ${etagOf(existing)} (If-Match)`);
  }
  const result = await context.changes.delete(existing.contactId);
  if (!result) {
    res.status(404).type('text/plain').send(`no card ${target.name} in ${target.book}`);
    return;
  }
  res.status(204).end();
}
