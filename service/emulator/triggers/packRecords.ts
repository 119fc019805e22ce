export interface PackLimits {
  maxItems: number;
  /** Maximum length of each packed JSON array, in UTF-16 code units (what Apex's String.length() counts). */
  maxChars: number;
}

export interface Pack {
  json: string;
  count: number;
}

/**
 * Greedily packs items into JSON arrays, in order, each holding at most `maxItems` items and at most
 * `maxChars` characters. An item that cannot fit even alone is an error naming it.
 */
export function packJsonArrays<T>(items: readonly T[], limits: PackLimits, nameOf: (item: T) => string): Pack[] {
  const packs: Pack[] = [];
  let current: string[] = [];
  // Length of `[` + items joined by `,` + `]`.
  let currentChars = 2;
  const flush = (): void => {
    if (current.length === 0) return;
    packs.push({ json: `[${current.join(',')}]`, count: current.length });
    current = [];
    currentChars = 2;
  };
  for (const item of items) {
    const json = JSON.stringify(item);
    if (json.length + 2 > limits.maxChars) {
      throw new Error(
        `${nameOf(item)}: its payload alone has ${json.length + 2} characters, over the limit of ${limits.maxChars}`,
      );
    }
    const added = json.length + (current.length > 0 ? 1 : 0);
    if (current.length >= limits.maxItems || currentChars + added > limits.maxChars) flush();
    currentChars += json.length + (current.length > 0 ? 1 : 0);
    current.push(json);
  }
  flush();
  return packs;
}
