import type { Request, Response } from 'express';
import type { Database } from '../store/types';
import type { ContactChanges } from '../sync/outbound/contactChanges';
import type { Hrefs } from './paths';
import type { ContactInputCheck } from './vcardInput';
import { clark, DAV, errorDocument, XML_CONTENT_TYPE } from './xml';

/** What every CardDAV handler is handed (router.ts builds it from its options). */
export interface CarddavContext {
  db: Database;
  hrefs: Hrefs;
  changes: Pick<ContactChanges, 'create' | 'edit' | 'delete'>;
  checkContact: ContactInputCheck;
}

export function badRequest(res: Response, message: string): void {
  sendError(res, 400, clark(DAV, 'valid-request'), message);
}

/** A DAV:error document with one precondition element and a sentence (RFC 4918 §16). */
export function sendError(res: Response, status: number, precondition: string, message: string, content = ''): void {
  res
    .status(status)
    .type(XML_CONTENT_TYPE)
    .send(errorDocument(precondition, message, content));
}

/** `Depth` as RFC 4918 §10.2 reads it: absent means infinity. */
export function depthOf(req: Request, absent: '0' | '1' | 'infinity' = 'infinity'): '0' | '1' | 'infinity' | null {
  const value = req.get('depth')?.trim().toLowerCase();
  if (value === undefined || value === '') return absent;
  return value === '0' || value === '1' || value === 'infinity' ? value : null;
}
