import { LightningElement } from 'lwc';
import { SCREENS, currentScreen, screenHash } from '../../../routes';

// How long a toast stays, as on the platform (dismissible mode).
const TOAST_MS = 5000;
const TOAST_THEMES = { success: 'slds-theme_success', error: 'slds-theme_error', warning: 'slds-theme_warning', info: 'slds-theme_info' };
// The record the record status screen shows unless the hash names one (?recordId=...).
const DEFAULT_RECORD_ID = '003000000000001AAA';

/**
 * The local preview's host: a tab bar standing in for the Switchboard app's navigation, the screen
 * the URL hash names, and the toasts the components raise.
 */
export default class PreviewApp extends LightningElement {
    screen = currentScreen();
    toasts = [];
    toastCounter = 0;
    onHashChange = () => {
        this.screen = currentScreen();
    };

    connectedCallback() {
        window.addEventListener('hashchange', this.onHashChange);
        this.template.addEventListener('lightning__showtoast', (event) => this.showToast(event.detail || {}));
    }

    disconnectedCallback() {
        window.removeEventListener('hashchange', this.onHashChange);
    }

    get tabs() {
        return SCREENS.map((screen) => ({
            ...screen,
            href: `#${screenHash(screen.name)}`,
            itemClass: `slds-context-bar__item${screen.name === this.screen.name ? ' slds-is-active' : ''}`,
            current: screen.name === this.screen.name ? 'page' : undefined
        }));
    }

    get isDashboard() {
        return this.screen.name === 'dashboard';
    }

    get isWizard() {
        return this.screen.name === 'wizard';
    }

    get isMappings() {
        return this.screen.name === 'mappings';
    }

    get isRecord() {
        return this.screen.name === 'record';
    }

    get recordId() {
        return this.screen.state.recordId || DEFAULT_RECORD_ID;
    }

    get objectApiName() {
        return this.recordId.startsWith('00Q') ? 'Lead' : 'Contact';
    }

    showToast({ title, message, variant }) {
        const id = ++this.toastCounter;
        const theme = TOAST_THEMES[variant] || TOAST_THEMES.info;
        this.toasts = [...this.toasts, { id, title, message, toastClass: `slds-notify slds-notify_toast ${theme}` }];
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        setTimeout(() => this.dismiss(id), TOAST_MS);
    }

    dismiss(id) {
        this.toasts = this.toasts.filter((toast) => toast.id !== id);
    }

    handleDismiss(event) {
        this.dismiss(Number(event.currentTarget.dataset.id));
    }

    handleSaved(event) {
        window.location.hash = screenHash('dashboard', { c__syncId: event.detail.syncId });
    }
}
