import { useQuery } from '@tanstack/react-query';
import { api } from '../providers/http-client.js';
import type { AntivirusStatus } from './antivirus.js';

const device = (id: string) => `/devices/${encodeURIComponent(id)}/antivirus`;

/** The device's antivirus routes (the status, "scan now", restore from the quarantine). */
export const antivirusApi = {
  status: async (deviceId: string) => (await api(device(deviceId))).json as AntivirusStatus,
  scan: async (deviceId: string, paths?: string[]) =>
    (await api(`${device(deviceId)}/scan`, { method: 'POST', body: JSON.stringify(paths ? { paths } : {}) })).json as {
      scanId: string;
    },
  restore: async (deviceId: string, quarantineId: string) =>
    (
      await api(`${device(deviceId)}/quarantine/${encodeURIComponent(quarantineId)}/restore`, {
        method: 'POST',
        body: '{}',
      })
    ).json as { path: string },
};

/** The status, polled every 2 s while a scan runs (live progress), else every 30 s. */
export const useAntivirusStatus = (deviceId: string | undefined, fast: boolean) =>
  useQuery({
    queryKey: ['antivirus', deviceId],
    queryFn: () => antivirusApi.status(deviceId as string),
    enabled: deviceId !== undefined,
    refetchInterval: (query) => (fast || query.state.data?.currentScan ? 2_000 : 30_000),
  });
