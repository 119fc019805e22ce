import type { Response } from 'express';
import { resolveSObject, type SObjectName } from '../org/schema';
import { sendNotFound } from './errors';

/**
 * A comma-separated list parameter (`?ids=a,b&fields=c`), also accepted repeated or as a JSON array.
 * Undefined when absent; empty entries are dropped.
 */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = Array.isArray(value) ? value : [value];
  const items: string[] = [];
  for (const entry of raw) {
    if (typeof entry !== 'string') return undefined;
    items.push(
      ...entry
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
  }
  return items;
}

/** The sObject named in the URL (case-insensitive, as the platform resolves it); 404 when unknown. */
export function sobjectFromUrl(name: string, res: Response): SObjectName | undefined {
  const sobject = resolveSObject(name);
  if (!sobject) sendNotFound(res);
  return sobject;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
