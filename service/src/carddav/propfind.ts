import type { Request, Response } from 'express';
import { cardResourceNamed, cardResourcePage, type CardResource } from '../directory/carddavResources';
import { currentChangeCursor, directoryVersion } from '../directory/changes';
import { cardTexts } from './cards';
import { streamMultistatus, type MultistatusWriter } from './multistatus';
import { BOOK_NAMES, type BookName, type Target } from './paths';
import {
  answer,
  cardGetters,
  collectionGetters,
  needsCardText,
  propRequestOf,
  versionOf,
  type BookState,
  type PropRequest,
} from './properties';
import { badRequest, depthOf, sendError, type CarddavContext } from './responses';
import { syncTokenOf } from './syncToken';
import { clark, DAV, parseXml } from './xml';

/** Cards per database read while a Depth-1 listing streams. */
export const PAGE_SIZE = 500;

/** PROPFIND (RFC 4918 §9.1): an empty body is allprop; Depth infinity on a collection is refused (§9.1, 403). */
export async function propfind(
  context: CarddavContext,
  req: Request,
  res: Response,
  target: Exclude<Target, { kind: 'none' }>,
  body: string,
  principalName: string,
): Promise<void> {
  let request: PropRequest = { mode: 'allprop', names: [], vcardVersion: '3.0' };
  if (body.trim() !== '') {
    const root = parseXml(body);
    if (root.name !== clark(DAV, 'propfind')) return badRequest(res, 'a PROPFIND body must be a DAV:propfind element');
    request = propRequestOf(root);
  }
  const depth = depthOf(req);
  if (depth === null) return badRequest(res, 'Depth must be 0, 1 or infinity');
  if (depth === 'infinity' && (target.kind === 'home' || target.kind === 'book')) {
    return sendError(res, 403, clark(DAV, 'propfind-finite-depth'), 'Depth infinity is not supported: use 0 or 1');
  }
  const { hrefs, db } = context;

  if (target.kind === 'card') {
    const resource = await cardResourceNamed(db, target.name);
    if (!resource) {
      res.status(404).type('text/plain').send(`no card ${target.name} in ${target.book}`);
      return;
    }
    await streamMultistatus(res, async (out) => {
      await writeCards(context, out, target.book, [resource], request);
    });
    return;
  }
  await streamMultistatus(res, async (out) => {
    if (target.kind === 'principal') {
      const { getters, allprop } = collectionGetters({ kind: 'principal', displayName: principalName }, hrefs);
      await out.write(await answer(hrefs.principal, request, getters, allprop));
      return;
    }
    if (target.kind === 'home') {
      const home = collectionGetters({ kind: 'home' }, hrefs);
      await out.write(await answer(hrefs.home, request, home.getters, home.allprop));
      if (depth === '1') {
        const principal = collectionGetters({ kind: 'principal', displayName: principalName }, hrefs);
        await out.write(await answer(hrefs.principal, request, principal.getters, principal.allprop));
        for (const book of BOOK_NAMES) {
          const { getters, allprop } = collectionGetters(
            { kind: 'book', book, state: bookState(context, book) },
            hrefs,
          );
          await out.write(await answer(hrefs.book(book), request, getters, allprop));
        }
      }
      return;
    }
    const { getters, allprop } = collectionGetters(
      { kind: 'book', book: target.book, state: bookState(context, target.book) },
      hrefs,
    );
    await out.write(await answer(hrefs.book(target.book), request, getters, allprop));
    if (depth !== '1') return;
    // Keyset pages in contact id order: each page is one read, written out before the next is read.
    let after: string | null = null;
    for (;;) {
      const page: CardResource[] = await cardResourcePage(db, after, PAGE_SIZE);
      if (page.length === 0) break;
      await writeCards(context, out, target.book, page, request);
      if (page.length < PAGE_SIZE) break;
      after = page[page.length - 1]?.contactId ?? null;
    }
  });
}

/** The book's ETag/CTag and sync token, read only when a property asks for them. */
export function bookState(context: CarddavContext, book: BookName): BookState {
  return {
    version: () => directoryVersion(context.db),
    syncToken: async () => syncTokenOf(book, await currentChangeCursor(context.db)),
  };
}

/**
 * One `<D:response>` per card; the vCard text is rendered only when a property needs it. Returns the cards whose
 * contact was deleted between the two reads (not written), so a sync can report them removed.
 */
export async function writeCards(
  context: CarddavContext,
  out: MultistatusWriter,
  book: BookName,
  resources: CardResource[],
  request: PropRequest,
): Promise<CardResource[]> {
  const gone: CardResource[] = [];
  const texts = needsCardText(request) ? await cardTexts(context.db, resources, versionOf(request)) : null;
  for (const resource of resources) {
    const text = texts?.get(resource.contactId)?.text;
    if (texts && text === undefined) {
      gone.push(resource);
      continue;
    }
    const { getters, allprop } = cardGetters(resource, text);
    await out.write(await answer(context.hrefs.card(book, resource.name), request, getters, allprop));
  }
  return gone;
}
