/**
 * The REST API versions the emulator answers to. Salesforce serves many past versions; jsforce's
 * default is 50.0 and the service pins 62.0, so the range covers both with room on either side.
 */
const OLDEST = 31;
const NEWEST = 64;

export interface ApiVersionInfo {
  label: string;
  url: string;
  version: string;
}

/** Release names follow the three-a-year cycle: 62.0 was Winter '25, 63.0 Spring '25, 64.0 Summer '25. */
function releaseLabel(major: number): string {
  const season = ['Spring', 'Summer', 'Winter'][major % 3];
  const year = 25 + Math.floor((major - 62) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export const API_VERSIONS: readonly ApiVersionInfo[] = Array.from({ length: NEWEST - OLDEST + 1 }, (_, i) => {
  const version = `${OLDEST + i}.0`;
  return { label: releaseLabel(OLDEST + i), url: `/services/data/v${version}`, version };
});

/** `v62.0` from a URL segment → "62.0" when served, else undefined. */
export function servedVersion(segment: string): string | undefined {
  const match = /^v(\d+\.\d)$/.exec(segment);
  return match && API_VERSIONS.some((v) => v.version === match[1]) ? match[1] : undefined;
}
