import type { PhoneKind } from '../../directory/model';
import type { PhoneBookNumber } from './format';
import { dialable } from './xml';

/**
 * Formats whose entry has one field per kind of number (Yealink's Phone1..3, Snom DECT's Telephone/Office/Mobile,
 * Fanvil's Telephone/Mobile/Other) lose numbers when a contact has two of one kind. `slotted` spreads the numbers
 * over as few such entries as their kinds allow, in the contact's order: the first entry takes the first number
 * of each slot, a further entry (shown under the same name) the next ones. Every number appears exactly once.
 */
export function slotted(
  phones: readonly PhoneBookNumber[],
  slotOf: Readonly<Record<PhoneKind, number>>,
  slots: number,
): string[][] {
  const rows: string[][] = [];
  for (const phone of phones) {
    const slot = slotOf[phone.kind];
    let row = rows.find((candidate) => candidate[slot] === '');
    if (row === undefined) {
      row = Array.from({ length: slots }, () => '');
      rows.push(row);
    }
    row[slot] = dialable(phone);
  }
  return rows;
}
