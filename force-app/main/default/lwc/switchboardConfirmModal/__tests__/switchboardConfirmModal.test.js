import { createElement } from 'lwc';
import SwitchboardConfirmModal from 'c/switchboardConfirmModal';

const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

function mount(props) {
    const element = createElement('c-switchboard-confirm-modal', { is: SwitchboardConfirmModal });
    Object.assign(element, {
        label: 'Delete Head office?',
        willDo: ['Remove the entries of this sync from the telephony directory.'],
        willNotDo: ['Delete or change any Salesforce record.', 'Delete the sync settings.'],
        confirmLabel: 'Delete',
        ...props
    });
    const closed = jest.fn();
    element.addEventListener('close', (event) => closed(event.detail));
    document.body.appendChild(element);
    return { element, closed };
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const texts = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)].map((node) => node.textContent);

describe('c-switchboard-confirm-modal', () => {
    afterEach(() => {
        document.body.replaceChildren();
    });

    it('lists what will and will not be deleted, and confirms', async () => {
        const { element, closed } = mount();

        expect($(element, 'lightning-modal-header').label).toBe('Delete Head office?');
        expect(texts(element, '.will-do li')).toEqual([
            'Remove the entries of this sync from the telephony directory.'
        ]);
        expect(texts(element, '.will-not-do li')).toEqual([
            'Delete or change any Salesforce record.',
            'Delete the sync settings.'
        ]);
        expect($(element, 'lightning-input')).toBeNull();
        const confirm = $(element, 'lightning-button.confirm');
        expect(confirm.label).toBe('Delete');
        expect(confirm.disabled).toBe(false);
        await expect(element).toBeAccessible();

        confirm.click();
        expect(closed).toHaveBeenCalledWith({ confirmation: null });
    });

    it('closes with nothing on cancel', () => {
        const { element, closed } = mount();
        $(element, 'lightning-button.cancel').click();
        expect(closed).toHaveBeenCalledWith(null);
    });

    it('enables the confirm button only once the exact text is typed', async () => {
        const { element, closed } = mount({ confirmationText: 'Head office', confirmLabel: 'Delete and revert' });
        const input = $(element, 'lightning-input');
        const confirm = () => $(element, 'lightning-button.confirm');
        expect(input.label).toBe('Type Head office to confirm');
        expect(confirm().disabled).toBe(true);

        input.dispatchEvent(new CustomEvent('change', { detail: { value: 'head office' } }));
        await flushPromises();
        expect(confirm().disabled).toBe(true);

        input.dispatchEvent(new CustomEvent('change', { detail: { value: 'Head office' } }));
        await flushPromises();
        expect(confirm().disabled).toBe(false);
        await expect(element).toBeAccessible();

        confirm().click();
        expect(closed).toHaveBeenCalledWith({ confirmation: 'Head office' });
    });
});
