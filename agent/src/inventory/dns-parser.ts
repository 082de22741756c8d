import { UnreadableOutputError } from './key-value.js';

const LOOPBACK_STUB = new Set(['127.0.0.53', '127.0.0.54']);

/**
 * `resolvectl dns`: `Global: 1.1.1.1` and `Link 2 (enp1s0): 10.0.0.1 fe80::1%2` lines; the servers
 * in order of appearance, without duplicates and without the `%ifindex` zone.
 */
export function parseResolvectlDns(stdout: string): string[] {
  const servers: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(?:Global|Link \d+ \([^)]*\)):(.*)$/.exec(line.trim());
    if (!m) throw new UnreadableOutputError('resolvectl dns', 'unexpected line', line);
    for (const s of (m[1] ?? '').trim().split(/\s+/)) {
      const server = s.replace(/%.*$/, '').replace(/#.*$/, '');
      if (server && !servers.includes(server)) servers.push(server);
    }
  }
  return servers;
}

/**
 * `nameserver` lines of /etc/resolv.conf. systemd-resolved's stub (127.0.0.53) says nothing about
 * the real servers, so it is dropped (resolvectl is asked first where resolved runs).
 */
export function parseResolvConf(text: string): string[] {
  const servers: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m?.[1] && !LOOPBACK_STUB.has(m[1]) && !servers.includes(m[1])) servers.push(m[1]);
  }
  return servers;
}

export interface DefaultRoute {
  gateway?: string;
  interface?: string;
}

/** `ip -j route show default`: the first route (lowest metric first, as ip lists them). */
export function parseIpRouteDefault(stdout: string): DefaultRoute | undefined {
  let routes: unknown;
  try {
    routes = JSON.parse(stdout || '[]');
  } catch {
    throw new UnreadableOutputError('ip -j route', 'not JSON', stdout);
  }
  if (!Array.isArray(routes)) throw new UnreadableOutputError('ip -j route', 'not a JSON array', stdout);
  const r = routes[0] as { gateway?: unknown; dev?: unknown } | undefined;
  if (!r) return undefined;
  return {
    ...(typeof r.gateway === 'string' ? { gateway: r.gateway } : {}),
    ...(typeof r.dev === 'string' ? { interface: r.dev } : {}),
  };
}
