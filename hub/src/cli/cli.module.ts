import { Module } from '@nestjs/common';
import {
  AdJoinAccountCommand,
  AdJoinAccountListCommand,
  AdJoinAccountRemoveCommand,
  AdJoinAccountSetCommand,
} from './ad-join-account.command.js';
import { BackupCommand, RestoreCommand } from './backup.command.js';
import { EnrollSshCommand } from './enroll-ssh.command.js';
import { ServeCommand } from './serve.command.js';
import { TokenCommand, TokenCreateCommand } from './token.command.js';
import { UserAddCommand, UserCommand, UserResetPasswordCommand } from './user.command.js';
import {
  UserSshKeyAddCommand,
  UserSshKeyCommand,
  UserSshKeyListCommand,
  UserSshKeyRemoveCommand,
} from './user-ssh-key.command.js';

@Module({
  providers: [
    // desired-state configuration
    AdJoinAccountCommand,
    AdJoinAccountSetCommand,
    AdJoinAccountListCommand,
    AdJoinAccountRemoveCommand,
    BackupCommand,
    EnrollSshCommand,
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
  ],
})
export class CliModule {}
