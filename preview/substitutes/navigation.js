/**
 * Preview-only lightning/navigation (the shipped module needs force/navigation, which only Lightning
 * Experience provides). The app's Lightning page tabs are the preview's screens, addressed by the
 * URL hash: #<screen>?c__syncId=..., so NavigationMixin moves between screens and
 * CurrentPageReference reports the hash as a page reference.
 */
import { SCREEN_OF_TAB, currentScreen, screenHash } from '../routes';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function urlOf(pageReference) {
    const apiName = pageReference && pageReference.attributes && pageReference.attributes.apiName;
    const screen = SCREEN_OF_TAB[apiName];
    if (screen) {
        return screenHash(screen, pageReference.state);
    }
    const recordId = pageReference && pageReference.attributes && pageReference.attributes.recordId;
    return recordId ? screenHash('record', { recordId }) : undefined;
}

export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](pageReference) {
            const url = urlOf(pageReference);
            if (url) {
                window.location.hash = url;
            } else {
                // eslint-disable-next-line no-console
                console.info('Preview: no screen for page reference', JSON.stringify(pageReference));
            }
        }

        [GenerateUrl](pageReference) {
            return Promise.resolve(urlOf(pageReference) || '#');
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** Wire adapter: the current screen as a standard__navItemPage reference with its c__ state. */
export class CurrentPageReference {
    constructor(callback) {
        this.callback = callback;
        this.onHashChange = () => this.emit();
    }

    connect() {
        window.addEventListener('hashchange', this.onHashChange);
        this.emit();
    }

    disconnect() {
        window.removeEventListener('hashchange', this.onHashChange);
    }

    update() {}

    emit() {
        const { tab, state } = currentScreen();
        this.callback({ type: 'standard__navItemPage', attributes: { apiName: tab }, state });
    }
}
