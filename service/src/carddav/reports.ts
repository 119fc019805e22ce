import type { Request, Response } from 'express';
import {
  cardResourcePage,
  cardResourcesNamed,
  cardResourcesOf,
  type CardResource,
} from '../directory/carddavResources';
import { currentChangeCursor, readDirectoryChanges, START_CURSOR } from '../directory/changes';
import { getContacts } from '../directory/contacts';
import { cardTexts, renderCard } from './cards';
import { streamMultistatus } from './multistatus';
import { cardNameOfHref, type BookName, type Target } from './paths';
import { PAGE_SIZE, writeCards } from './propfind';
import {
  answer,
  cardGetters,
  needsCardText,
  propRequestOf,
  statusResponse,
  versionOf,
  type PropRequest,
} from './properties';
import { matchesFilter, parseFilter, UnsupportedFilterError } from './query';
import { badRequest, sendError, type CarddavContext } from './responses';
import { cursorOfToken, syncTokenOf } from './syncToken';
import { CARDDAV, child, children, clark, DAV, parseXml, type XmlElement } from './xml';

/**
 * REPORTs on an address book: addressbook-multiget and addressbook-query (RFC 6352 §8.6, §8.7) and
 * sync-collection (RFC 6578). Every answer streams page by page; a report on anything but a book, or one we do not
 * know, is 403 DAV:supported-report (RFC 3253 §3.6).
 */
export async function report(
  context: CarddavContext,
  _req: Request,
  res: Response,
  target: Exclude<Target, { kind: 'none' }>,
  body: string,
): Promise<void> {
  if (body.trim() === '') return badRequest(res, 'a REPORT needs a body');
  const root = parseXml(body);
  if (target.kind !== 'book') {
    return sendError(res, 403, clark(DAV, 'supported-report'), 'reports apply to an address book');
  }
  switch (root.name) {
    case clark(CARDDAV, 'addressbook-multiget'):
      return multiget(context, res, target.book, root);
    case clark(CARDDAV, 'addressbook-query'):
      return query(context, res, target.book, root);
    case clark(DAV, 'sync-collection'):
      return syncCollection(context, res, target.book, root);
    default:
      return sendError(res, 403, clark(DAV, 'supported-report'), `the report ${root.name} is not supported`);
  }
}

const MULTIGET_CHUNK = 200;

async function multiget(context: CarddavContext, res: Response, book: BookName, root: XmlElement): Promise<void> {
  const request = propRequestOf(root);
  const hrefs = children(root, clark(DAV, 'href')).map((h) => h.text.trim());
  await streamMultistatus(res, async (out) => {
    for (let i = 0; i < hrefs.length; i += MULTIGET_CHUNK) {
      const chunk = hrefs.slice(i, i + MULTIGET_CHUNK);
      const names = chunk.map((href) => cardNameOfHref(href, context.hrefs, book));
      const found = await cardResourcesNamed(
        context.db,
        names.filter((n): n is string => n !== null),
      );
      const resources = [...new Set(found.values())];
      const texts = needsCardText(request) ? await cardTexts(context.db, resources, versionOf(request)) : null;
      for (const [index, href] of chunk.entries()) {
        const name = names[index];
        const resource = name === null || name === undefined ? undefined : found.get(name);
        const text = resource ? texts?.get(resource.contactId)?.text : undefined;
        if (!resource || (texts && text === undefined)) {
          await out.write(statusResponse(href, 404));
          continue;
        }
        const { getters, allprop } = cardGetters(resource, text);
        await out.write(await answer(context.hrefs.card(book, resource.name), request, getters, allprop));
      }
    }
  });
}

/** `<nresults>` of a `<limit>` (RFC 5323 §5.17), or null for none. */
function limitOf(root: XmlElement, namespace: string): number | null {
  const text = child(child(root, clark(namespace, 'limit')), clark(namespace, 'nresults'))?.text.trim();
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : null;
}

async function query(context: CarddavContext, res: Response, book: BookName, root: XmlElement): Promise<void> {
  let filter;
  try {
    filter = parseFilter(child(root, clark(CARDDAV, 'filter')));
  } catch (err) {
    if (err instanceof UnsupportedFilterError)
      return sendError(res, 403, clark(CARDDAV, err.precondition), err.message);
    throw err;
  }
  const request = propRequestOf(root);
  const limit = limitOf(root, CARDDAV);
  const bookHref = context.hrefs.book(book);
  await streamMultistatus(res, async (out) => {
    let sent = 0;
    let after: string | null = null;
    for (;;) {
      const page: CardResource[] = await cardResourcePage(context.db, after, PAGE_SIZE);
      if (page.length === 0) return;
      const contacts = new Map(
        (
          await getContacts(
            context.db,
            page.map((r) => r.contactId),
          )
        ).map((c) => [c.id, c]),
      );
      for (const resource of page) {
        const contact = contacts.get(resource.contactId);
        if (!contact || !matchesFilter(filter, contact, resource.uid)) continue;
        if (limit !== null && sent >= limit) {
          // RFC 6352 §8.6.1: more matched than asked for.
          await out.write(statusResponse(bookHref, 507));
          return;
        }
        resource.version = contact.version;
        resource.updatedAt = contact.updatedAt;
        const text = needsCardText(request) ? renderCard(contact, resource.uid, versionOf(request)) : undefined;
        const { getters, allprop } = cardGetters(resource, text);
        await out.write(await answer(context.hrefs.card(book, resource.name), request, getters, allprop));
        sent++;
      }
      if (page.length < PAGE_SIZE) return;
      after = page[page.length - 1]?.contactId ?? null;
    }
  });
}

/**
 * RFC 6578: an empty token lists every card (no removed ones, §3.8); a token lists what changed since, a removed
 * card as a 404 entry. The token holds the directory's change cursor; changes come at least once, so a card may be
 * listed in two successive answers (harmless: the client fetches it again). A `<limit>` cuts the answer with a 507
 * entry for the book and a token to go on from (§3.6).
 */
async function syncCollection(context: CarddavContext, res: Response, book: BookName, root: XmlElement): Promise<void> {
  const tokenText = child(root, clark(DAV, 'sync-token'))?.text.trim() ?? '';
  const initial = tokenText === '';
  const start = initial ? START_CURSOR : cursorOfToken(book, tokenText);
  if (!start) {
    return sendError(
      res,
      403,
      clark(DAV, 'valid-sync-token'),
      'the sync-token is not one this address book issued: sync again from an empty token',
    );
  }
  const level = child(root, clark(DAV, 'sync-level'))?.text.trim();
  if (level !== undefined && level !== '1' && level !== 'infinite') {
    return badRequest(res, 'sync-level must be 1 or infinite');
  }
  const request = propRequestOf(root);
  const limit = limitOf(root, DAV);
  const bookHref = context.hrefs.book(book);
  if (initial && limit === null) return initialSync(context, res, book, request);
  await streamMultistatus(res, async (out) => {
    let cursor = start;
    let sent = 0;
    const listed = new Set<string>();
    for (;;) {
      const pageSize = limit === null ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - sent);
      const { changes, next, caughtUp } = await readDirectoryChanges(context.db, cursor, pageSize);
      const fresh = changes.filter((change) => !listed.has(change.contactId));
      const resources = await cardResourcesOf(
        context.db,
        fresh.map((change) => change.contactId),
      );
      const present = resources.filter((r) => r.exists);
      const gone = new Set(await writeCards(context, out, book, present, request));
      for (const resource of resources) {
        listed.add(resource.contactId);
        if ((!resource.exists || gone.has(resource)) && !initial) {
          await out.write(statusResponse(context.hrefs.card(book, resource.name), 404));
        }
      }
      sent += resources.length;
      cursor = next;
      if (caughtUp) break;
      if (limit !== null && sent >= limit) {
        await out.write(statusResponse(bookHref, 507));
        break;
      }
    }
    return `<D:sync-token>${syncTokenOf(book, cursor)}</D:sync-token>`;
  });
}

/**
 * An initial sync with no limit: the cursor of this moment first, then every card by keyset pages. A card changed
 * or created while the listing runs comes again in the next sync (its change is after the cursor); one deleted
 * meanwhile is missed here and reported removed then (harmless: the client never had it). Reading the change feed
 * from its start instead would walk every contact's history and re-scan it per page.
 */
async function initialSync(
  context: CarddavContext,
  res: Response,
  book: BookName,
  request: PropRequest,
): Promise<void> {
  const cursor = await currentChangeCursor(context.db);
  await streamMultistatus(res, async (out) => {
    let after: string | null = null;
    for (;;) {
      const page: CardResource[] = await cardResourcePage(context.db, after, PAGE_SIZE);
      if (page.length === 0) break;
      await writeCards(context, out, book, page, request);
      if (page.length < PAGE_SIZE) break;
      after = page[page.length - 1]?.contactId ?? null;
    }
    return `<D:sync-token>${syncTokenOf(book, cursor)}</D:sync-token>`;
  });
}
