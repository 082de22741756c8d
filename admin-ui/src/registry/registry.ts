import { type ColumnMapping, REGISTRY_FIELDS, type RegistryField } from '@bascule/protocol';
/** The fleet registry as the hub serves it (docs/rest-api.md, "Fleet registry"). */

export const MACHINE_STATUSES = ['windows', 'candidate', 'scheduled', 'migrated', 'exception', 'rolled-back'] as const;
export type MachineStatus = (typeof MACHINE_STATUSES)[number];

/** How Linux is offered in a department: a way of working, never a target or a deadline. */
export const PHASES = ['beta', 'volunteers', 'new-machine', 'linux-by-default'] as const;
export type Phase = (typeof PHASES)[number];

export const EXCEPTION_REASONS = ['business-software', 'user-declined', 'profession'] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

export interface RegistryMachine {
  id: string;
  serial: string | null;
  hostname: string | null;
  macs: string[];
  departmentId: string | null;
  department: string | null;
  phase: Phase | null;
  mainUser: string | null;
  os: string | null;
  status: MachineStatus;
  exceptionReason: ExceptionReason | null;
  exceptionWorkaround: string | null;
  rollbackReason: string | null;
  deviceId: string | null;
  deviceHostname: string | null;
  updatedAt: string;
  statusChangedAt: string | null;
}

export interface RegistryDepartment {
  id: string;
  name: string;
  parentId: string | null;
  phase: Phase;
  phaseChangedAt: string | null;
  createdAt: string;
}

/** The fields an import maps (the hub's own list, protocol/src/registry-columns.ts). */
export const IMPORT_FIELDS = REGISTRY_FIELDS;
export type ImportField = RegistryField;
export type { ColumnMapping };

export interface ImportLineError {
  line: number;
  field: ImportField | null;
  code: string;
  message: string;
}

export interface ImportPreviewLine {
  line: number;
  serial: string | null;
  hostname: string | null;
  macs: string[];
  department: string[];
  mainUser: string | null;
  os: string | null;
}

export interface ImportJob {
  id: string;
  filename: string | null;
  encoding: string;
  separator: string;
  columns: string[];
  mapping: ColumnMapping;
  state: 'preview' | 'importing' | 'done' | 'failed';
  totalLines: number;
  errorLines: number;
  imported: number | null;
  skipped: number | null;
  error: string | null;
  progress: { phase: 'checking' | 'writing' | 'committing'; done: number; total: number } | null;
  preview?: ImportPreviewLine[];
  errors?: ImportLineError[];
  mappingError?: string;
}

export interface ReviewItem {
  id: string;
  deviceId: string;
  hostname: string | null;
  serial: string | null;
  level: 'serial' | 'mac' | 'hostname';
  candidates: RegistryMachine[];
  state: 'open' | 'linked' | 'kept-apart';
  createdAt: string;
  machineId: string | null;
}

/** The data-provider resources of the registry and the hub routes behind them. */
export const REGISTRY_RESOURCES: Record<string, string> = {
  'registry-machines': 'registry/machines',
  'registry-departments': 'registry/departments',
  'registry-reviews': 'registry/reviews',
};
