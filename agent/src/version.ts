/** Reported in the `online` status; kept in step with agent/package.json. */
export const AGENT_VERSION = '0.1.0';
