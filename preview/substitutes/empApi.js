/**
 * Preview-only lightning/empApi: there is no CometD endpoint outside an org, so streaming is
 * reported as unavailable and components fall back to what they do then (the dashboard polls).
 */
export function isEmpEnabled() {
    return Promise.resolve(false);
}

export function subscribe() {
    return Promise.reject(new Error('Streaming is not available in the local preview'));
}

export function unsubscribe(subscription, callback) {
    if (callback) {
        callback({ successful: true });
    }
    return Promise.resolve(true);
}

export function onError() {}

export function setDebugFlag() {
    return Promise.resolve(true);
}
