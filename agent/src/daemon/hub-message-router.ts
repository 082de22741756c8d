import { deviceTopic, parseDeviceTopic, parseTerminalKind } from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';

export interface HubMessageTargets {
  rpc: { handle(payload: Buffer): void };
  terminals: { handleInput(sid: string, payload: Buffer): void };
  config?: { onConfig(payload: Buffer): void };
}

/** Sends each message from the hub to its handler by topic: `rpc/req`, `config`, or the input of one terminal. */
export function createHubMessageRouter(
  deviceId: string,
  targets: HubMessageTargets,
  logger: Logger,
): (topic: string, payload: Buffer) => void {
  const rpcTopic = deviceTopic(deviceId, 'rpc/req');
  const configTopic = deviceTopic(deviceId, 'config');
  return (topic, payload) => {
    if (topic === rpcTopic) return targets.rpc.handle(payload);
    if (topic === configTopic && targets.config) return targets.config.onConfig(payload);
    const parsed = parseDeviceTopic(topic);
    const terminal = parsed && parsed.deviceId === deviceId ? parseTerminalKind(parsed.kind) : null;
    if (terminal?.direction === 'in') return targets.terminals.handleInput(terminal.sid, payload);
    logger.warn('mqtt: message on a topic this agent does not handle; dropped', { topic: topic.slice(0, 200) });
  };
}
