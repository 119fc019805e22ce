/**
 * The SLDS modal frame the preview's lightning/confirm and lightning/modal substitutes draw in the
 * page body (where the platform's overlay container would be): section, header, body, footer and
 * backdrop, closed by Escape.
 */
const THEMES = { info: 'slds-theme_info', warning: 'slds-theme_warning', error: 'slds-theme_error', success: 'slds-theme_success' };

export function openDialog({ label, theme, size, onDismiss, content }) {
    const backdrop = document.createElement('div');
    backdrop.className = 'slds-backdrop slds-backdrop_open';
    const section = document.createElement('section');
    section.setAttribute('role', 'dialog');
    section.setAttribute('aria-modal', 'true');
    section.className = `slds-modal slds-fade-in-open${size ? ` slds-modal_${size}` : ''}`;
    const container = document.createElement('div');
    container.className = 'slds-modal__container';
    section.appendChild(container);

    let body;
    let footer;
    if (content) {
        // A modal component draws its own header, body and footer.
        container.appendChild(content);
    } else {
        const header = document.createElement('div');
        header.className = `slds-modal__header${THEMES[theme] ? ` slds-theme_alert-texture ${THEMES[theme]}` : ''}`;
        const title = document.createElement('h1');
        title.className = 'slds-modal__title slds-hyphenate';
        title.id = `preview-dialog-${Date.now()}`;
        title.textContent = label;
        header.appendChild(title);
        section.setAttribute('aria-labelledby', title.id);
        body = document.createElement('div');
        body.className = 'slds-modal__content slds-p-around_medium';
        footer = document.createElement('div');
        footer.className = 'slds-modal__footer';
        container.append(header, body, footer);
    }
    if (label) {
        section.setAttribute('aria-label', label);
    }

    const close = () => {
        document.removeEventListener('keydown', onKey);
        section.remove();
        backdrop.remove();
    };
    const onKey = (event) => {
        if (event.key === 'Escape') {
            close();
            onDismiss();
        }
    };
    document.addEventListener('keydown', onKey);
    document.body.append(section, backdrop);
    return { body, footer, close };
}
