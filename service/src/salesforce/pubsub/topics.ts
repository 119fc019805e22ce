/** A package API name (object, field or event) with the namespace prefix of a managed install. */
export function namespaced(namespace: string, name: string): string {
  return namespace ? `${namespace}__${name}` : name;
}

export function changeEventTopic(namespace: string): string {
  return `/event/${namespaced(namespace, 'Switchboard_Change__e')}`;
}

/** A field of a namespaced event arrives as `ns__Field__c`; the service speaks un-namespaced names. */
export function stripNamespace(namespace: string, field: string): string {
  const prefix = namespace ? `${namespace}__` : '';
  return prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
}
