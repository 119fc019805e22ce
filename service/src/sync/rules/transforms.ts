import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhone } from './phones';

/** Per-mapping value transforms, as the package's Transform__c picklist names them. */
export const TRANSFORMS = ['None', 'E164', 'Trim', 'Upper', 'Lower', 'Title', 'PicklistMap'] as const;
export type Transform = (typeof TRANSFORMS)[number];

export interface TransformSpec {
  transform: Transform;
  /** Salesforce value → telephony value, for PicklistMap. */
  picklistMap?: Record<string, string>;
}

type Text = string | null;

/** Title case that keeps the separators people use in names: "o'brien-smith" → "O'Brien-Smith". */
function titleCase(value: string): string {
  return value
    .toLocaleLowerCase()
    .replace(/(^|[\s'\-.])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toLocaleUpperCase());
}

/**
 * The value as it goes to the telephony side. E164 turns a valid number into +E.164 and leaves anything
 * else as typed (it is then kept raw, never matched). A picklist value without an entry passes unchanged.
 */
export function toTelephony(value: Text, spec: TransformSpec, defaultCountry: CountryCode): Text {
  if (value === null) return null;
  switch (spec.transform) {
    case 'None':
      return value;
    case 'Trim':
      return value.trim() || null;
    case 'Upper':
      return value.toLocaleUpperCase();
    case 'Lower':
      return value.toLocaleLowerCase();
    case 'Title':
      return titleCase(value);
    case 'E164':
      return normalizePhone(value, defaultCountry).e164 ?? value;
    case 'PicklistMap':
      return spec.picklistMap?.[value] ?? value;
  }
}

/**
 * The value as it goes back to Salesforce. A picklist map is read backwards and Trim trims; case and E.164
 * transforms are one-way (they shape what phones show) — what the telephony user typed goes back as typed.
 */
export function toSalesforce(value: Text, spec: TransformSpec): Text {
  if (value === null) return null;
  if (spec.transform === 'PicklistMap') {
    const back = Object.entries(spec.picklistMap ?? {}).find(([, telephony]) => telephony === value);
    return back ? back[0] : value;
  }
  return spec.transform === 'Trim' ? value.trim() || null : value;
}
