/**
 * A closed feature gate of the base components. Gates are open by default outside the platform;
 * the ones mapped here need native shadow DOM (ElementInternals), which the preview's synthetic
 * shadow does not offer.
 */
export default { isOpen: () => false };
