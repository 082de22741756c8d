import type { ExceptionReason, RegistryMachinesTable, RegistryStatus } from '../database/schema.js';

export const REGISTRY_STATUSES: readonly RegistryStatus[] = [
  'windows',
  'candidate',
  'scheduled',
  'migrated',
  'exception',
  'rolled-back',
];
export const EXCEPTION_REASONS: readonly ExceptionReason[] = ['business-software', 'user-declined', 'profession'];

/** The statuses from which a healthy matched agent moves a machine to `migrated` by itself. */
export const AUTO_MIGRATE_FROM: readonly RegistryStatus[] = ['windows', 'candidate', 'scheduled'];

export interface StatusChange {
  status: RegistryStatus;
  /** For `exception`: why Linux does not fit this machine (or its user). */
  exceptionReason?: ExceptionReason;
  /** For `exception`: how the user still works, e.g. "Ciril Finances par RDP (Remmina)". */
  workaround?: string;
  /** For `rolled-back`: why the machine went back to Windows. */
  rollbackReason?: string;
}

type StatusColumns = Pick<
  RegistryMachinesTable,
  'status' | 'exception_reason' | 'exception_workaround' | 'rollback_reason'
>;

/**
 * The columns a status change writes, or the sentence saying why it is refused: `exception` needs a
 * reason (and takes a workaround), `rolled-back` needs its reason, `migrated` needs an enrolled
 * agent linked to the machine. The reasons of a status are cleared when the machine leaves it (the
 * audit log keeps them).
 */
export function applyStatus(change: StatusChange, linkedDevice: string | null): StatusColumns | string {
  const { status } = change;
  if (!REGISTRY_STATUSES.includes(status)) return `unknown status "${status}": use ${REGISTRY_STATUSES.join(', ')}`;
  const cleared: StatusColumns = { status, exception_reason: null, exception_workaround: null, rollback_reason: null };
  switch (status) {
    case 'exception': {
      if (!change.exceptionReason) return `an exception needs a reason: ${EXCEPTION_REASONS.join(', ')}`;
      if (!EXCEPTION_REASONS.includes(change.exceptionReason)) {
        return `unknown exception reason "${change.exceptionReason}": use ${EXCEPTION_REASONS.join(', ')}`;
      }
      const workaround = change.workaround?.trim() || null;
      return { ...cleared, exception_reason: change.exceptionReason, exception_workaround: workaround };
    }
    case 'rolled-back': {
      const reason = change.rollbackReason?.trim();
      if (!reason) return 'a roll back needs its reason (what did not work for the user)';
      return { ...cleared, rollback_reason: reason };
    }
    case 'migrated':
      if (!linkedDevice) {
        return 'a machine is migrated once its Linux agent is enrolled and matched to it: link a device first';
      }
      return cleared;
    default:
      return cleared;
  }
}
