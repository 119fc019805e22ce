import { FORMAT_NAMES, type FormatName, type PhoneBookFormat } from './format';
import { cisco } from './cisco';
import { fanvil } from './fanvil';
import { gigaset } from './gigaset';
import { grandstream } from './grandstream';
import { polycom } from './polycom';
import { snom } from './snom';
import { snomDect } from './snomDect';
import { vcard } from './vcard';
import { yealink } from './yealink';
import { yealinkMenu } from './yealinkMenu';

/**
 * Every phone-book format by its public name (`GET /phonebook/<format>`). The feed route looks a format up here and
 * knows nothing of any vendor.
 */
export const FORMATS: Readonly<Record<FormatName, PhoneBookFormat>> = Object.freeze({
  yealink,
  'yealink-menu': yealinkMenu,
  cisco,
  polycom,
  grandstream,
  snom,
  'snom-dect': snomDect,
  fanvil,
  gigaset,
  vcard,
});

/** The format of a URL's `<format>` segment, or undefined for a name that is none (exact, case-sensitive). */
export function formatNamed(name: string): PhoneBookFormat | undefined {
  return (FORMAT_NAMES as readonly string[]).includes(name) ? FORMATS[name as FormatName] : undefined;
}

export { FORMAT_NAMES, FeedRequestError } from './format';
export type {
  FeedRequest,
  FormatName,
  PhoneBookEntry,
  PhoneBookFormat,
  PhoneBookNumber,
  RenderContext,
} from './format';
