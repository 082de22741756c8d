import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Timestamps are ISO-8601 strings (UTC); JSON columns hold text. */
export interface UsersTable {
  id: string;
  username: string;
  role: 'admin' | 'helpdesk' | 'viewer';
  password_hash: string;
  must_change_password: number;
  created_at: string;
  password_changed_at: string | null;
  last_login_at: string | null;
  /** TOTP (migration 0015): secrets AES-GCM encrypted, never returned once enrolment is confirmed. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<string | null, string | null | undefined, string | null>;
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** Department scope (migration 0017): JSON list of department names; null = every department. */
  departments: ColumnType<string | null, string | null | undefined, string | null>;
  /** `local` or `ldap` (migration 0017): an `ldap` account has no usable password hash here. */
  auth_source: ColumnType<'local' | 'ldap', 'local' | 'ldap' | undefined, 'local' | 'ldap'>;
}

export interface TotpRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

/** Account settings an administrator changes in the UI (migration 0015), one JSON value per key. */
export interface AccountSettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface EnrolmentTokensTable {
  id: string;
  token_hash: string;
  department: string;
  uses_allowed: number;
  uses_count: number;
  expires_at: string;
  created_at: string;
  created_by: string;
}

export interface DevicesTable {
  id: string;
  hostname: string;
  department: string;
  secret_hash: string;
  machine_id: string;
  dmi_uuid: string;
  serial: string;
  macs: string;
  enrolled_at: string;
  token_id: string | null;
  clone_of: string | null;
  online: number;
  last_seen_at: string | null;
  os: string | null;
  kernel: string | null;
  model: string | null;
  agent_version: string | null;
  last_heartbeat: string | null;
  /** `auto`, `on` or `off` (migration 0006); defaults to `auto` on insert. */
  metered: ColumnType<MeteredSetting, MeteredSetting | undefined, MeteredSetting>;
}

/** Metered mode as the hub sets it for a device: `auto` leaves it to the agent. */
export type MeteredSetting = 'auto' | 'on' | 'off';

export interface InventorySectionsTable {
  device_id: string;
  section: string;
  hash: string | null;
  data: string | null;
  error: string | null;
  updated_at: string;
}

export interface HealthSamplesTable {
  message_id: string;
  idx: number;
  device_id: string;
  ts: string;
  data: string;
}

export interface IngestedMessagesTable {
  id: string;
  device_id: string;
  kind: string;
  received_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  ts: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}

export interface SshKeysTable {
  id: string;
  user_id: string;
  algorithm: string;
  public_key: string;
  fingerprint: string;
  comment: string;
  created_at: string;
  last_used_at: string | null;
}

export interface TerminalSessionsTable {
  id: string;
  user_id: string;
  username: string;
  device_id: string;
  hostname: string;
  via: 'ssh' | 'web';
  mode: 'shell' | 'exec';
  run_as: 'root' | 'user';
  command: string | null;
  client_address: string | null;
  started_at: string;
  ended_at: string | null;
  bytes_in: number;
  bytes_out: number;
  exit_code: number | null;
  exit_signal: string | null;
  end_reason: string | null;
  end_message: string | null;
  recording: string | null;
}

// ---- health and alerts (migration 0003)

export interface HealthHourlyTable {
  device_id: string;
  hour: string;
  samples: number;
  load1_avg: number;
  load1_max: number;
  mem_used_pct_avg: number;
  mem_used_pct_max: number;
  swap_used_pct_max: number;
  disk_used_pct_max: number | null;
  /** `{"/": 41.5, "/home": 93.2}`: each mount point's maximum in the hour (migration 0020); null before it. */
  disks_json: string | null;
  temp_max_c: number | null;
  battery_pct_min: number | null;
}

export interface HealthRollupPendingTable {
  device_id: string;
  hour: string;
}

export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface AlertsTable {
  id: string;
  device_id: string;
  type: string;
  subject: string;
  state: AlertState;
  message: string;
  detail: string;
  opened_at: string;
  updated_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
}

export interface AlertConditionsTable {
  device_id: string;
  type: string;
  subject: string;
  since: string;
}

/** GLPI forwarding: queue and outcome, one row per device (migration 0005). */
export interface GlpiForwardingTable {
  device_id: string;
  pending: number;
  queued_at: string | null;
  next_attempt_at: string | null;
  attempts: number;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
}

export interface Database
  extends ConfigTables,
    EventTables,
    AntivirusTables,
    AgentPackageTables,
    RegistryTables,
    VolunteerTables {
  users: UsersTable;
  sessions: SessionsTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  account_settings: AccountSettingsTable;
  enrolment_tokens: EnrolmentTokensTable;
  devices: DevicesTable;
  inventory_sections: InventorySectionsTable;
  health_samples: HealthSamplesTable;
  ingested_messages: IngestedMessagesTable;
  audit_log: AuditLogTable;
  ssh_keys: SshKeysTable;
  terminal_sessions: TerminalSessionsTable;
  // health and alerts
  health_hourly: HealthHourlyTable;
  health_rollup_pending: HealthRollupPendingTable;
  alerts: AlertsTable;
  alert_conditions: AlertConditionsTable;
  glpi_forwarding: GlpiForwardingTable;
}

// ---- desired-state configuration (migration 0004)

export interface PoliciesTable {
  id: string;
  module: string;
  name: string;
  description: string;
  priority: number;
  latest_revision: number;
  deployed_revision: number | null;
  created_at: string;
  updated_at: string;
}

export interface PolicyRevisionsTable {
  policy_id: string;
  revision: number;
  document: string;
  comment: string;
  created_at: string;
  created_by: string;
}

export interface PolicyAssignmentsTable {
  policy_id: string;
  kind: 'everyone' | 'department' | 'group' | 'device';
  target: string;
}

export interface DeviceGroupsTable {
  id: string;
  name: string;
  description: string;
  created_at: string;
}

export interface DeviceGroupMembersTable {
  group_id: string;
  device_id: string;
}

export interface DeviceConfigsTable {
  device_id: string;
  revision: number;
  hash: string;
  content: string;
  updated_at: string;
  refused_revision: number | null;
  refused_error: string | null;
}

export interface DeviceModuleStatesTable {
  device_id: string;
  module: string;
  policy_id: string;
  policy_revision: number;
  config_revision: number;
  status: 'applied' | 'failed' | 'drift' | 'invalid';
  error: string | null;
  steps: string;
  observed: string | null;
  at: string;
  received_at: string;
}

export interface RolloutsTable {
  id: string;
  policy_id: string;
  from_revision: number | null;
  to_revision: number;
  state: 'running' | 'paused' | 'halted' | 'completed' | 'rolled-back';
  plan: string;
  current_ring: number;
  ring_started_at: string;
  reason: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface AdJoinAccountsTable {
  device_id: string;
  domain: string;
  computer_name: string;
  one_time_password: string | null;
  preset_at: string | null;
  joined_at: string | null;
  error: string | null;
  updated_at: string;
}

export interface ConfigTables {
  policies: PoliciesTable;
  policy_revisions: PolicyRevisionsTable;
  policy_assignments: PolicyAssignmentsTable;
  device_groups: DeviceGroupsTable;
  device_group_members: DeviceGroupMembersTable;
  device_configs: DeviceConfigsTable;
  device_module_states: DeviceModuleStatesTable;
  rollouts: RolloutsTable;
  ad_join_accounts: AdJoinAccountsTable;
}

// ---- device events (migration 0007)

/** One event a device sent on `event` (protocol/src/events.ts); `data` is the event's JSON. */
export interface DeviceEventsTable {
  /** `{messageId}-{index in the message}`: stable, so a re-sent message is recognised. */
  id: string;
  message_id: string;
  device_id: string;
  type: string;
  /** When it happened on the device (ISO 8601). */
  ts: string;
  received_at: string;
  data: string;
}

export interface EventTables {
  device_events: DeviceEventsTable;
}

// ---- antivirus status (migration 0008)

/** One scan of the `antivirus` module, from its started, progress and finished events. */
export interface AntivirusScansTable {
  device_id: string;
  scan_id: string;
  trigger: string;
  /** JSON list of the scanned paths. */
  paths: string;
  started_at: string;
  /** Null while the scan runs. */
  finished_at: string | null;
  result: 'clean' | 'infected' | 'error' | null;
  engine: string | null;
  duration_ms: number | null;
  files_scanned: number | null;
  files_total: number | null;
  detections: ColumnType<number, number | undefined, number>;
  /** JSON list of ClamAV's error lines. */
  errors: ColumnType<string, string | undefined, string>;
  exit_code: number | null;
  updated_at: string;
}

/** One infected file a scan reported. */
export interface AntivirusDetectionsTable {
  device_id: string;
  scan_id: string;
  idx: number;
  path: string;
  signature: string;
  action: 'reported' | 'quarantined' | 'quarantine-failed';
  quarantine_id: string | null;
  error: string | null;
  /** The scan's end, on the device's clock. */
  detected_at: string;
}

/** A file moved to the quarantine (a detection with action `quarantined`), until it is restored. */
export interface AntivirusQuarantineTable {
  device_id: string;
  quarantine_id: string;
  path: string;
  signature: string;
  scan_id: string | null;
  quarantined_at: string;
  restored_at: string | null;
  restored_by: string | null;
}

export interface AntivirusTables {
  antivirus_scans: AntivirusScansTable;
  antivirus_detections: AntivirusDetectionsTable;
  antivirus_quarantine: AntivirusQuarantineTable;
}

// ---- agent packages for self-update (migration 0011)

/** One bascule-agent .deb the hub holds, in DATA/agent-packages/{file_name}. */
export interface AgentPackagesTable {
  /** The package's Debian version (from its control file), e.g. `0.2.0`. */
  version: string;
  file_name: string;
  sha256: string;
  bytes: number;
  added_at: string;
  /** `cli:root`, `user:{id}`. */
  added_by: string;
}

export interface AgentPackageTables {
  agent_packages: AgentPackagesTable;
}

// ---- fleet registry of the migration program (migration 0012)

export type RegistryStatus = 'windows' | 'candidate' | 'scheduled' | 'migrated' | 'exception' | 'rolled-back';
export type RegistryPhase = 'beta' | 'volunteers' | 'new-machine' | 'linux-by-default';
export type ExceptionReason = 'business-software' | 'user-declined' | 'profession';
export type ImportState = 'preview' | 'importing' | 'done' | 'failed';
export type ReviewState = 'open' | 'linked' | 'kept-apart';

/** A department of the organisation; its figures include its sub-departments. */
export interface RegistryDepartmentsTable {
  id: string;
  name: string;
  name_key: string;
  parent_id: string | null;
  phase: ColumnType<RegistryPhase, RegistryPhase | undefined, RegistryPhase>;
  phase_changed_at: string | null;
  created_at: string;
}

/** One machine of the organisation, migrated or not; `device_id` once its agent is matched. */
export interface RegistryMachinesTable {
  id: string;
  serial: string | null;
  serial_key: string | null;
  hostname: string | null;
  hostname_key: string | null;
  department_id: string | null;
  main_user: string | null;
  os: string | null;
  status: RegistryStatus;
  exception_reason: ExceptionReason | null;
  exception_workaround: string | null;
  rollback_reason: string | null;
  device_id: string | null;
  import_id: string | null;
  created_at: string;
  updated_at: string;
  status_changed_at: string;
}

export interface RegistryMachineMacsTable {
  mac: string;
  machine_id: string;
}

/** A CSV import: previewed, then confirmed (all or nothing). */
export interface RegistryImportsTable {
  id: string;
  filename: string;
  encoding: 'utf-8' | 'windows-1252';
  separator: ';' | ',' | '\t';
  /** JSON list of the file's column names. */
  columns: string;
  /** JSON `{field: column}`. */
  mapping: string;
  preset: string | null;
  content: string | null;
  state: ImportState;
  total_lines: number;
  error_lines: number;
  imported: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<number, number | undefined, number>;
  error: string | null;
  created_by: string;
  created_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  finished_at: string | null;
}

/** A machine of a confirmed import, staged until the import commits (registry-import.service.ts). */
export interface RegistryImportRowsTable {
  id: string;
  import_id: string;
  serial: string | null;
  serial_key: string | null;
  hostname: string | null;
  hostname_key: string | null;
  department_id: string | null;
  main_user: string | null;
  os: string | null;
  macs: string;
}

/** An enrolled device that fits more than one registry record at some level: never merged silently. */
export interface RegistryReviewItemsTable {
  id: string;
  device_id: string;
  level: 'serial' | 'mac' | 'hostname';
  /** JSON list of registry machine ids. */
  candidates: string;
  state: ReviewState;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  machine_id: string | null;
}

/** Machines per department and status on a day (the dashboard's trend). */
export interface RegistrySnapshotsTable {
  day: string;
  department_id: string;
  status: RegistryStatus;
  count: number;
}

export interface RegistryTables {
  registry_departments: RegistryDepartmentsTable;
  registry_machines: RegistryMachinesTable;
  registry_machine_macs: RegistryMachineMacsTable;
  registry_imports: RegistryImportsTable;
  registry_import_rows: RegistryImportRowsTable;
  registry_review_items: RegistryReviewItemsTable;
  registry_snapshots: RegistrySnapshotsTable;
}

// ---- volunteer sign-up of the migration program (migration 0013)

export type VolunteerState = 'waiting' | 'accepted' | 'refused';

/** A link IT shares with the staff; only the SHA-256 of its token is kept (docs/decisions.md). */
export interface VolunteerCampaignsTable {
  id: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

/** What a staff member filed through a campaign's form; IT accepts (machine → candidate) or refuses it. */
export interface VolunteerRequestsTable {
  id: string;
  campaign_id: string;
  name: string;
  department_id: string | null;
  machine: string;
  constraints: string;
  email: string | null;
  state: VolunteerState;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  /** The registry machine made a candidate on acceptance. */
  machine_id: string | null;
  refusal_reason: string | null;
}

export interface VolunteerTables {
  volunteer_campaigns: VolunteerCampaignsTable;
  volunteer_requests: VolunteerRequestsTable;
}
