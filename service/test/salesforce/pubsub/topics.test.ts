import { changeEventTopic, namespaced, stripNamespace } from '../../../src/salesforce/pubsub/topics';

describe('topics', () => {
  it('names the change event topic with and without a namespace', () => {
    expect(changeEventTopic('')).toBe('/event/Switchboard_Change__e');
    expect(changeEventTopic('swb')).toBe('/event/swb__Switchboard_Change__e');
    expect(namespaced('swb', 'Other__e')).toBe('swb__Other__e');
    expect(namespaced('', 'Other__e')).toBe('Other__e');
  });

  it('strips only its own namespace prefix', () => {
    expect(stripNamespace('swb', 'swb__Payload__c')).toBe('Payload__c');
    expect(stripNamespace('swb', 'other__Payload__c')).toBe('other__Payload__c');
    expect(stripNamespace('swb', 'Payload__c')).toBe('Payload__c');
    expect(stripNamespace('', 'swb__Payload__c')).toBe('swb__Payload__c');
  });
});
