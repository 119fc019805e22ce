/**
 * Preview-only lightning/platformShowToastEvent: the platform's toast container does not exist
 * outside Lightning Experience, so the event bubbles to the preview host (x-preview-app), which
 * shows it as an SLDS toast.
 */
export class ShowToastEvent extends CustomEvent {
    constructor(toast) {
        super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
    }
}
