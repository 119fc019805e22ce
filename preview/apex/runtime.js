/**
 * Preview-only stand-in for @salesforce/apex: every imported Apex method is a function returning a
 * promise (imperative calls) that can also be wired (a callable wire adapter, as on the platform).
 * Answers come from the fixture-backed controllers in ./controllers.js.
 */
import { CONTROLLERS } from './controllers';

// Which adapter produced a wired value, so refreshApex(value) can ask it again.
const producers = new WeakMap();

function invoke(name, params) {
    const implementation = CONTROLLERS[name];
    if (!implementation) {
        return Promise.reject({ status: 500, body: { message: `The preview has no fixture for Apex method ${name}` } });
    }
    // Apex answers asynchronously, and a fixture must never be mutated by the component.
    return Promise.resolve()
        .then(() => implementation(params || {}))
        .then((value) => (value === undefined ? null : JSON.parse(JSON.stringify(value))));
}

/** The default export of `@salesforce/apex/<Class>.<method>`. */
export function apexMethod(name) {
    const call = (params) => invoke(name, params);
    call.adapter = class ApexWireAdapter {
        constructor(callback) {
            this.callback = callback;
            this.config = {};
        }

        connect() {}

        disconnect() {}

        update(config) {
            this.config = config || {};
            this.fetch();
        }

        fetch() {
            return invoke(name, this.config).then(
                (data) => this.emit({ data, error: undefined }),
                (error) => this.emit({ data: undefined, error })
            );
        }

        emit(value) {
            producers.set(value, this);
            this.callback(value);
        }
    };
    return call;
}

/** `refreshApex` of `@salesforce/apex`: fetches a wired value again. */
export function refreshApex(wiredValue) {
    const producer = wiredValue && producers.get(wiredValue);
    return producer ? producer.fetch() : Promise.resolve();
}

/** `getSObjectValue` of `@salesforce/apex`, for completeness. */
export function getSObjectValue(record, field) {
    return record ? record[field] : undefined;
}
