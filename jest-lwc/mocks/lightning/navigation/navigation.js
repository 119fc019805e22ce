import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

/**
 * lightning/navigation as in the shipped stub, except that navigating is recorded: tests read the
 * page references a component asked for with `navigations()` and clear them with `resetNavigations()`.
 */
export const CurrentPageReference = createTestWireAdapter(jest.fn());

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');
const requested = [];

export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](pageReference, replace) {
            requested.push({ pageReference, replace: Boolean(replace) });
        }

        [GenerateUrl](pageReference) {
            return Promise.resolve(`/lightning/${pageReference.type}`);
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export const navigations = () => requested.map((entry) => entry.pageReference);
export const resetNavigations = () => {
    requested.length = 0;
};
