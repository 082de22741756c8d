import {
  DEVICE_ID_PATTERN,
  decodeTerminalFrame,
  type IdGenerator,
  TERMINAL_FRAME,
  type TerminalOpenParams,
  terminalTopic,
} from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { DevicePublisher } from '../broker/device-link.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import type { Metrics } from '../metrics/metrics.js';
import { RpcError, type RpcService } from '../rpc/rpc.service.js';
import { HubTerminalSession, type SessionEnd } from './hub-terminal-session.js';
import type { RecordingStore, RecordingWriter } from './recording.store.js';
import {
  type TerminalClient,
  type TerminalHandle,
  TerminalOpenError,
  type TerminalOpener,
  type TerminalRequest,
} from './terminal.types.js';
import type { TerminalSessionRepository } from './terminal-session.repository.js';

export interface TerminalSettings {
  idleTimeoutSeconds: number;
  maxDurationSeconds: number;
  /** Recordings older than this are deleted by the hourly housekeeping. */
  recordingRetentionDays: number;
  maxSessionsPerDevice: number;
  maxSessions: number;
  /** How long to wait for the agent to start the process (the desktop user's consent included). */
  openTimeoutMs: number;
}

export const DEFAULT_TERMINAL_SETTINGS: TerminalSettings = {
  idleTimeoutSeconds: 30 * 60,
  maxDurationSeconds: 8 * 3600,
  recordingRetentionDays: 90,
  maxSessionsPerDevice: 4,
  maxSessions: 200,
  openTimeoutMs: 75_000,
};

const OPENING_ROLES = new Set(['admin', 'helpdesk']);

/**
 * Opens terminal sessions on devices for the SSH gateway and the browser, relays their frames, and
 * keeps the audit trail and the recordings. Access is checked here, once, for both front ends.
 */
export class TerminalService implements TerminalOpener {
  private readonly sessions = new Map<string, HubTerminalSession>();
  private readonly unknownFrameLogged = new Set<string>();

  constructor(
    private readonly link: DevicePublisher,
    private readonly rpc: RpcService,
    private readonly devices: DeviceRepository,
    private readonly repo: TerminalSessionRepository,
    private readonly recordings: RecordingStore,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly settings: TerminalSettings = DEFAULT_TERMINAL_SETTINGS,
    /** Department scope (DepartmentScopeService): may this user open a shell on this device? */
    private readonly scope?: { allowsUserOnDevice(userId: string, deviceId: string): Promise<boolean> },
  ) {}

  get activeSessions(): number {
    return this.sessions.size;
  }

  async open(request: TerminalRequest, client: TerminalClient): Promise<TerminalHandle> {
    try {
      return await this.tryOpen(request, client);
    } catch (err) {
      if (!(err instanceof TerminalOpenError)) throw err;
      this.metrics.inc('bascule_terminal_refused_total', { reason: err.code });
      this.logger.info('terminal refused', {
        user: request.user.username,
        device: request.deviceRef,
        reason: err.code,
      });
      await this.audit.record({
        ts: this.clock.now().toISOString(),
        actor: request.user.username,
        action: 'terminal.refused',
        target: request.deviceRef,
        detail: { via: request.via, mode: request.mode, as: request.as, reason: err.code },
      });
      throw err;
    }
  }

  private async tryOpen(request: TerminalRequest, client: TerminalClient): Promise<TerminalHandle> {
    const { user } = request;
    if (!OPENING_ROLES.has(user.role)) {
      throw new TerminalOpenError('forbidden', `the ${user.role} role cannot open a terminal`, { role: user.role });
    }
    const device = await this.resolveDevice(request.deviceRef);
    // Checked here for the SSH gateway and the browser alike; outside scope it is as if unknown.
    if (this.scope && !(await this.scope.allowsUserOnDevice(user.id, device.id))) {
      throw new TerminalOpenError('unknown-device', `no device is named ${request.deviceRef}`, {
        device: request.deviceRef,
      });
    }
    if (!this.link.isConnected(device.id)) {
      throw new TerminalOpenError('device-offline', `${device.hostname} is offline`, {
        hostname: device.hostname,
        lastSeenAt: device.last_seen_at ?? '',
      });
    }
    const onDevice = [...this.sessions.values()].filter((s) => s.deviceId === device.id).length;
    if (this.sessions.size >= this.settings.maxSessions || onDevice >= this.settings.maxSessionsPerDevice) {
      throw new TerminalOpenError('too-many-sessions', `too many terminal sessions open on ${device.hostname}`, {
        hostname: device.hostname,
      });
    }

    const sid = this.ids();
    const started = this.clock.now();
    const term = request.term ?? 'xterm-256color';
    // Registered before the agent answers: its first output may arrive before the RPC answer does.
    let recording: { file: string; writer: RecordingWriter } | undefined;
    try {
      recording = this.recordings.create(
        sid,
        {
          width: request.size.cols,
          height: request.size.rows,
          timestamp: Math.floor(started.getTime() / 1000),
          title:
            `${user.username} → ${device.hostname} (${request.as}, ${request.via}${request.command ? `: ${request.command}` : ''})`.slice(
              0,
              300,
            ),
          env: { TERM: term },
        },
        started.getTime(),
      );
    } catch (err) {
      // A recording that cannot be written must not stop the helpdesk from working; it is logged.
      this.logger.error('terminal recording could not be created', { sid, error: err as Error });
    }
    const session = new HubTerminalSession(sid, device.id, device.hostname, client, recording?.writer, {
      send: (frame) => this.sendFrame(device.id, sid, frame),
      now: () => this.clock.now().getTime(),
      ended: (s, end) => this.onEnded(s, end),
    });
    const params: TerminalOpenParams = {
      sid,
      mode: request.mode,
      ...(request.mode === 'exec' ? { command: request.command ?? '' } : {}),
      pty: request.mode === 'shell' ? true : request.pty,
      as: request.as,
      term,
      size: request.size,
      requester: { username: user.username, via: request.via },
      idleTimeoutSeconds: this.settings.idleTimeoutSeconds,
      maxDurationSeconds: this.settings.maxDurationSeconds,
    };
    this.sessions.set(sid, session);
    await this.repo.insert({
      id: sid,
      user_id: user.id,
      username: user.username,
      device_id: device.id,
      hostname: device.hostname,
      via: request.via,
      mode: request.mode,
      run_as: request.as,
      command: request.command ?? null,
      client_address: request.clientAddress ?? null,
      started_at: started.toISOString(),
      ended_at: null,
      bytes_in: 0,
      bytes_out: 0,
      exit_code: null,
      exit_signal: null,
      end_reason: null,
      end_message: null,
      recording: recording?.file ?? null,
    });
    try {
      await this.rpc.call(device.id, 'terminal.open', params, this.settings.openTimeoutMs);
    } catch (err) {
      const refusal = toOpenError(err, device.hostname);
      this.sessions.delete(sid);
      recording?.writer.close(this.clock.now().getTime());
      await this.repo.finish(sid, {
        endedAt: this.clock.now().toISOString(),
        bytesIn: 0,
        bytesOut: 0,
        exitCode: null,
        exitSignal: null,
        endReason: `refused:${refusal.code}`,
        endMessage: refusal.message,
      });
      throw refusal;
    }
    this.metrics.inc('bascule_terminal_sessions_total', { via: request.via });
    this.logger.info('terminal opened', {
      sid,
      user: user.username,
      deviceId: device.id,
      hostname: device.hostname,
      via: request.via,
      mode: request.mode,
      as: request.as,
    });
    await this.audit.record({
      ts: started.toISOString(),
      actor: user.username,
      action: 'terminal.open',
      target: device.id,
      detail: { sid, via: request.via, mode: request.mode, as: request.as, command: request.command ?? null },
    });
    return session;
  }

  /** A frame on a device's `term/{sid}/out`, from the broker. Never throws. */
  onFrame(deviceId: string, sid: string, payload: Buffer): void {
    const session = this.sessions.get(sid);
    if (!session || session.deviceId !== deviceId) {
      this.metrics.inc('bascule_terminal_frames_dropped_total', {
        reason: session ? 'other-device' : 'unknown-session',
      });
      const key = `${deviceId}/${sid}`;
      if (!this.unknownFrameLogged.has(key)) {
        if (this.unknownFrameLogged.size > 1000) this.unknownFrameLogged.clear();
        this.unknownFrameLogged.add(key);
        this.logger.warn('terminal frame for a session this device does not hold; dropped', {
          deviceId,
          sid,
          owner: session?.deviceId,
        });
      }
      return;
    }
    session.onFrame(payload, decodeTerminalFrame);
  }

  /** The device's connection went away: its sessions cannot continue. */
  onDeviceDisconnected(deviceId: string): void {
    for (const s of [...this.sessions.values()]) {
      if (s.deviceId === deviceId) s.close('device-offline', 'the device disconnected from the hub');
    }
  }

  /** Closes every session (hub stopping); the agents are told. */
  stop(): void {
    for (const s of [...this.sessions.values()]) s.close('hub-stopping', 'the hub is stopping');
  }

  /** At start: sessions left open by a crash are closed in the audit trail. */
  async recover(): Promise<void> {
    const n = await this.repo.closeDangling(this.clock.now().toISOString());
    if (n > 0) this.logger.warn('terminal sessions left open by the previous run closed in the audit trail', { n });
  }

  /** Deletes recordings past the retention period; returns how many. */
  async purgeRecordings(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.settings.recordingRetentionDays * 86_400_000);
    const old = await this.repo.recordingsOlderThan(cutoff.toISOString());
    for (const r of old) {
      if (this.sessions.has(r.id)) continue;
      this.recordings.remove(r.recording);
      await this.repo.forgetRecording(r.id);
    }
    if (old.length > 0) this.logger.info('terminal recordings past retention deleted', { n: old.length });
    return old.length;
  }

  private async resolveDevice(ref: string) {
    const trimmed = ref.trim();
    if (trimmed.length === 0 || trimmed.length > 255) {
      throw new TerminalOpenError('unknown-device', 'no device named', { device: trimmed.slice(0, 64) });
    }
    const found = await this.devices.findByRef(trimmed);
    const exact = DEVICE_ID_PATTERN.test(trimmed.toUpperCase())
      ? found.filter((d) => d.id === trimmed.toUpperCase())
      : [];
    const matches = exact.length === 1 ? exact : found;
    if (matches.length === 0) {
      throw new TerminalOpenError('unknown-device', `no device is named ${trimmed}`, { device: trimmed });
    }
    if (matches.length > 1) {
      throw new TerminalOpenError('ambiguous-device', `several devices are named ${trimmed}; use the device id`, {
        device: trimmed,
        candidates: matches.map((d) => d.id).join(', '),
      });
    }
    return matches[0] as (typeof matches)[number];
  }

  private sendFrame(deviceId: string, sid: string, frame: Buffer): void {
    this.link.publish(terminalTopic(deviceId, sid, 'in'), frame, 0).catch((err: Error) => {
      this.logger.warn('terminal frame not delivered', { deviceId, sid, error: err });
      const s = this.sessions.get(sid);
      if (s && frame[0] !== TERMINAL_FRAME.close) s.close('device-offline', 'the device cannot be reached');
    });
  }

  private onEnded(session: HubTerminalSession, end: SessionEnd): void {
    this.sessions.delete(session.id);
    const endedAt = this.clock.now().toISOString();
    this.logger.info('terminal closed', {
      sid: session.id,
      deviceId: session.deviceId,
      reason: end.close.code,
      exitCode: end.exitCode,
      bytesIn: end.bytesIn,
      bytesOut: end.bytesOut,
    });
    const record = async () => {
      await this.repo.finish(session.id, {
        endedAt,
        bytesIn: end.bytesIn,
        bytesOut: end.bytesOut,
        exitCode: end.exitCode,
        exitSignal: end.exitSignal,
        endReason: end.close.code,
        endMessage: end.close.message,
      });
      await this.audit.record({
        ts: endedAt,
        actor: 'system',
        action: 'terminal.close',
        target: session.deviceId,
        detail: { sid: session.id, reason: end.close.code, exitCode: end.exitCode, bytesOut: end.bytesOut },
      });
    };
    record().catch((err: Error) =>
      this.logger.error('terminal session end not recorded in the audit trail', { sid: session.id, error: err }),
    );
  }
}

function toOpenError(err: unknown, hostname: string): TerminalOpenError {
  if (!(err instanceof RpcError)) throw err;
  switch (err.code) {
    case 'offline':
      return new TerminalOpenError('device-offline', `${hostname} is offline`, { hostname, lastSeenAt: '' });
    case 'no-answer':
      return new TerminalOpenError('no-answer', `${hostname} did not answer: ${err.message}`, { hostname });
    case 'consent-refused':
    case 'no-desktop-user':
    case 'disabled':
      return new TerminalOpenError(err.code, err.message, { hostname });
    case 'busy':
      return new TerminalOpenError('too-many-sessions', err.message, { hostname });
    default:
      return new TerminalOpenError('refused', `${hostname} refused: ${err.message}`, { hostname, code: err.code });
  }
}
