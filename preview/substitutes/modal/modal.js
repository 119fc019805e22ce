/**
 * Preview-only lightning/modal: the shipped LightningModal opens through the platform's overlay
 * container. This base class keeps its contract (static open(props) → promise of the close result,
 * @api label/size/description/disableClose, close(result)) and draws the subclass inside an SLDS
 * modal frame in the page body.
 */
import { LightningElement, api, createElement } from 'lwc';
import { openDialog } from '../dialog';

const CLOSE_EVENT = 'previewmodalclose';
let opened = 0;

export default class LightningModal extends LightningElement {
    @api label;
    @api size;
    @api description;
    @api disableClose = false;

    static open(props = {}) {
        const tagName = `preview-modal-${++opened}`;
        const element = createElement(tagName, { is: this });
        Object.entries(props).forEach(([name, value]) => {
            element[name] = value;
        });
        return new Promise((resolve) => {
            const { close } = openDialog({
                label: props.label,
                size: props.size,
                content: element,
                onDismiss: () => resolve(undefined)
            });
            element.addEventListener(CLOSE_EVENT, (event) => {
                close();
                resolve(event.detail);
            });
        });
    }

    close(result) {
        this.dispatchEvent(new CustomEvent(CLOSE_EVENT, { detail: result }));
    }
}
