/**
 * The preview's screens and the Switchboard app tabs they stand for. A screen is addressed by the
 * URL hash, "#dashboard?c__syncId=a01...", so a page reference's state survives a reload.
 */
export const SCREENS = Object.freeze([
    { name: 'dashboard', label: 'Dashboard', tab: 'Switchboard_Home' },
    { name: 'wizard', label: 'Setup wizard', tab: 'Switchboard_Setup' },
    { name: 'mappings', label: 'Mapping studio', tab: 'Switchboard_Mappings' },
    { name: 'record', label: 'Record status', tab: undefined }
]);

export const SCREEN_OF_TAB = Object.freeze(
    Object.fromEntries(SCREENS.filter((screen) => screen.tab).map((screen) => [screen.tab, screen.name]))
);

export function screenHash(name, state) {
    const query = new URLSearchParams(state || {}).toString();
    return query ? `${name}?${query}` : name;
}

/** The screen the hash names (the dashboard when none), its tab, and its query as page state. */
export function currentScreen() {
    const [name, query] = window.location.hash.replace(/^#/, '').split('?');
    const screen = SCREENS.find((candidate) => candidate.name === name) || SCREENS[0];
    return { ...screen, state: Object.fromEntries(new URLSearchParams(query || '')) };
}
