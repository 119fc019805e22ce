/**
 * Preview-only lightning/confirm: the shipped one opens in the platform's overlay container, which
 * only Lightning Experience has. This draws the same SLDS prompt and resolves true (OK) or false.
 */
import { openDialog } from './dialog';

export default class LightningConfirm {
    static open({ label, message, theme, variant } = {}) {
        return new Promise((resolve) => {
            const { body, footer, close } = openDialog({
                label: label || 'Confirm',
                theme: variant === 'headerless' ? undefined : theme,
                onDismiss: () => resolve(false)
            });
            const text = document.createElement('p');
            text.textContent = message || '';
            body.appendChild(text);
            const button = (caption, brand, result) => {
                const element = document.createElement('button');
                element.className = brand ? 'slds-button slds-button_brand' : 'slds-button slds-button_neutral';
                element.textContent = caption;
                element.addEventListener('click', () => {
                    close();
                    resolve(result);
                });
                footer.appendChild(element);
            };
            button('Cancel', false, false);
            button('OK', true, true);
        });
    }
}
