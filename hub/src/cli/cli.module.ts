import { Module } from '@nestjs/common';
import {
  AdJoinAccountCommand,
  AdJoinAccountListCommand,
  AdJoinAccountRemoveCommand,
  AdJoinAccountSetCommand,
} from './ad-join-account.command.js';
import { AgentPackageAddCommand, AgentPackageCommand, AgentPackageListCommand } from './agent-package.command.js';
import { BackupCommand, RestoreCommand } from './backup.command.js';
import { EnrollSshCommand } from './enroll-ssh.command.js';
import { MoveToPostgresCommand } from './move-to-postgres.command.js';
import { ServeCommand } from './serve.command.js';
import { TokenCommand, TokenCreateCommand } from './token.command.js';
import { UserAddCommand, UserCommand, UserResetPasswordCommand } from './user.command.js';
import {
  UserSshKeyAddCommand,
  UserSshKeyCommand,
  UserSshKeyListCommand,
  UserSshKeyRemoveCommand,
} from './user-ssh-key.command.js';
import { VolunteerLinkCommand, VolunteerLinkCreateCommand } from './volunteer-link.command.js';

@Module({
  providers: [
    // desired-state configuration
    AdJoinAccountCommand,
    AdJoinAccountSetCommand,
    AdJoinAccountListCommand,
    AdJoinAccountRemoveCommand,
    // agent packages for self-update
    AgentPackageCommand,
    AgentPackageAddCommand,
    AgentPackageListCommand,
    BackupCommand,
    EnrollSshCommand,
    MoveToPostgresCommand,
    RestoreCommand,
    ServeCommand,
    TokenCommand,
    TokenCreateCommand,
    UserCommand,
    UserAddCommand,
    UserResetPasswordCommand,
    UserSshKeyCommand,
    UserSshKeyAddCommand,
    UserSshKeyListCommand,
    UserSshKeyRemoveCommand,
    // volunteer sign-up
    VolunteerLinkCommand,
    VolunteerLinkCreateCommand,
  ],
})
export class CliModule {}
