/**
 * Preview-only lightning-relative-date-time. The shipped one throws on an ISO 8601 string ("accepts
 * either a Date object or a timestamp"), which is what Apex Datetime fields arrive as, and the throw
 * stops the rest of the screen from rendering. This one accepts Date, timestamp or ISO string and
 * warns once per string value, so the problem stays visible in the console (see the preview README).
 */
import { LightningElement, api } from 'lwc';

const UNITS = [
    ['year', 365 * 24 * 3600],
    ['month', 30 * 24 * 3600],
    ['day', 24 * 3600],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1]
];
const warned = new Set();

export default class RelativeDateTime extends LightningElement {
    @api value;

    get text() {
        const value = this.value;
        if (value === undefined || value === null || value === '') {
            return '';
        }
        if (typeof value === 'string' && !warned.has(value)) {
            warned.add(value);
            // eslint-disable-next-line no-console
            console.warn(`lightning-relative-date-time got the string "${value}": the platform component throws on it`);
        }
        const time = value instanceof Date ? value.getTime() : new Date(value).getTime();
        if (Number.isNaN(time)) {
            return '';
        }
        const seconds = Math.round((time - Date.now()) / 1000);
        const [unit, size] = UNITS.find(([, length]) => Math.abs(seconds) >= length) || UNITS[UNITS.length - 1];
        return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
    }
}
