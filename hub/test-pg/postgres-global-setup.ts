import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../test/rigs/postgres-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's admin URL, for the hub-pg project only (testServices reads it). */
    postgresUrl: string;
  }
}

/*
 * Vitest global setup of the `hub-pg` project: the hub's specs run a second time against a throwaway
 * PostgreSQL cluster (test/rigs/postgres-cluster.mjs). The URL is provided to this project only (inject('postgresUrl'),
 * not the environment, which every project's workers share); testServices() makes a fresh database per
 * call from it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.adminUrl);
  return () => cluster.stop();
}
