import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FleetGaugesRepository } from './fleet-gauges.repository.js';
import type { Metrics } from './metrics.js';

export interface GaugeSources {
  connectedClients(): number;
  activeTerminalSessions(): number;
  pendingRpcRequests(): number;
  fleet: FleetGaugesRepository;
}

/**
 * The gauges of one running hub, read at each scrape. Returns a stop function for the event-loop
 * monitor (the only thing here that holds a timer).
 */
export function registerHubGauges(m: Metrics, sources: GaugeSources): () => void {
  describeCounters(m);
  m.describe('bascule_mqtt_connected_clients', 'Devices connected to this hub process');
  m.gauge('bascule_mqtt_connected_clients', sources.connectedClients);
  m.describe('bascule_devices', 'Enrolled devices by connection state, as stored (all hubs of a cluster)');
  m.gauge('bascule_devices', () => sources.fleet.devicesByState());
  m.describe('bascule_rollouts', 'Staged rollouts by state');
  m.gauge('bascule_rollouts', () => sources.fleet.rolloutsByState());
  m.describe('bascule_queue_depth', 'Work waiting: GLPI forwards, unanswered RPCs, configs not yet acknowledged');
  m.gauge('bascule_queue_depth', async () => [
    { labels: { queue: 'glpi_forward' }, value: await sources.fleet.glpiForwardPending() },
    { labels: { queue: 'config_behind' }, value: await sources.fleet.configsBehind() },
    { labels: { queue: 'rpc_pending' }, value: sources.pendingRpcRequests() },
  ]);
  m.describe('bascule_terminal_active_sessions', 'Terminal sessions open through the hub');
  m.gauge('bascule_terminal_active_sessions', sources.activeTerminalSessions);

  m.describe('bascule_process_resident_memory_bytes', 'Resident memory of the hub process');
  m.gauge('bascule_process_resident_memory_bytes', () => process.memoryUsage.rss());
  m.describe('bascule_process_cpu_seconds', 'User and system CPU time of the hub process');
  m.gauge('bascule_process_cpu_seconds', () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  });
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  m.describe('bascule_event_loop_delay_p99_seconds', 'p99 event-loop delay since the previous scrape');
  m.gauge('bascule_event_loop_delay_p99_seconds', () => {
    const p99 = loop.percentile(99) / 1e9;
    loop.reset();
    return Number.isFinite(p99) ? p99 : 0;
  });
  return () => loop.disable();
}

/** Help texts of the counters and histograms the hub's components count into (listed here, in one place). */
function describeCounters(m: Metrics): void {
  m.describe('bascule_mqtt_connections_total', 'Device connections accepted');
  m.describe('bascule_mqtt_refused_total', 'Device connections, publications and subscriptions refused, by reason');
  m.describe('bascule_mqtt_tls_errors_total', 'TLS handshakes that failed, by error code');
  m.describe('bascule_mqtt_messages_published_total', 'Messages the hub published to devices, by topic kind');
  m.describe('bascule_ingest_messages_total', 'Device messages received, by topic kind and outcome');
  m.describe('bascule_ingest_duration_seconds', 'From a device message reaching the hub to it being stored');
  m.describe('bascule_ingest_events_refused_total', 'Events refused inside otherwise valid event messages');
  m.describe('bascule_terminal_sessions_total', 'Terminal sessions opened, by way in');
  m.describe('bascule_terminal_refused_total', 'Terminal sessions refused, by reason');
  m.describe('bascule_terminal_frames_dropped_total', 'Terminal output frames dropped');
}
