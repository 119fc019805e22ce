import {
    countScope,
    EXISTING_DRAFT,
    flushPromises,
    mount,
    $,
    $$,
    problems,
    change,
    forward,
    resetBetweenTests
} from './wizardTestHarness';

// The scope step: counting the records each condition selects.
describe('c-switchboard-setup-wizard', () => {
    resetBetweenTests();

    describe('scope step', () => {
        async function openScope(draft = EXISTING_DRAFT) {
            const mounted = await mount(draft, { syncId: draft.syncId });
            await forward(mounted.element, 5);
            return mounted;
        }

        it('counts every enabled object, Person Accounts included, with their conditions', async () => {
            const { element } = await openScope();
            expect(countScope.mock.calls.map(([args]) => args)).toEqual([
                { objectName: 'Contact', condition: "MailingCountry = 'US'" },
                { objectName: 'Lead', condition: '' },
                { objectName: 'PersonAccount', condition: "PersonMailingCountry = 'US'" }
            ]);
            expect($$(element, '.scope-count').map((count) => count.textContent)).toEqual([
                '0 Contacts in scope',
                '0 Leads in scope',
                '0 Person Accounts in scope'
            ]);
        });

        it('counts a condition 500 ms after the last keystroke, keeping Next disabled meanwhile', async () => {
            const { element } = await openScope();
            countScope.mockClear();
            const contactScope = $(element, 'lightning-textarea[data-object="Contact"]');

            await change(contactScope, 'MailingCountry');
            jest.advanceTimersByTime(300);
            await change(contactScope, "MailingCountry = 'DE'");
            expect($(element, '.scope-count').textContent).toBe('Counting…');
            expect($(element, 'lightning-button.next').disabled).toBe(true);
            expect(problems(element)).toEqual(['Counting the Contacts in scope…']);
            jest.advanceTimersByTime(499);
            expect(countScope).not.toHaveBeenCalled();

            countScope.mockResolvedValue(87);
            jest.advanceTimersByTime(1);
            await flushPromises();
            expect(countScope).toHaveBeenCalledTimes(1);
            expect(countScope).toHaveBeenCalledWith({ objectName: 'Contact', condition: "MailingCountry = 'DE'" });
            expect($(element, '.scope-count').textContent).toBe('87 Contacts in scope');
            expect($(element, 'lightning-button.next').disabled).toBe(false);
        });

        it('shows an invalid condition inline and blocks Next until it is fixed', async () => {
            const { element } = await openScope();
            countScope.mockRejectedValueOnce({ body: { message: "unexpected token: 'Open'" } });

            await change($(element, 'lightning-textarea[data-object="Lead"]'), 'Status Open');
            jest.advanceTimersByTime(500);
            await flushPromises();

            expect($(element, '.scope-error').textContent).toBe("unexpected token: 'Open'");
            expect(problems(element)).toEqual(["Leads scope: unexpected token: 'Open'"]);
            expect($(element, 'lightning-button.next').disabled).toBe(true);
            jest.useRealTimers();
            await expect(element).toBeAccessible();
        });

        it('drops a count answered after the condition changed again', async () => {
            const { element } = await openScope();
            let answer;
            countScope.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
            const leadScope = $(element, 'lightning-textarea[data-object="Lead"]');

            await change(leadScope, 'IsConverted = false');
            jest.advanceTimersByTime(500);
            await change(leadScope, 'IsConverted = true');
            answer(5);
            await flushPromises();

            expect($$(element, '.scope-count')[1].textContent).toBe('Counting…');
        });

        it('stops pending counts when the wizard is closed', async () => {
            const { element } = await openScope();
            countScope.mockClear();
            await change($(element, 'lightning-textarea[data-object="Lead"]'), 'IsConverted = false');
            document.body.removeChild(element);
            jest.advanceTimersByTime(1000);
            expect(countScope).not.toHaveBeenCalled();
        });
    });
});
