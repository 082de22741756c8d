/** Kept in step with hub/package.json by the release process. */
export const HUB_VERSION = '0.1.0';
