import { describe, expect, it } from 'vitest';
import { CommandNotFoundError } from './command-runner.js';
import { DesktopPrompts } from './desktop-prompts.js';
import { DesktopSessions, parseSessionIds } from './desktop-sessions.js';
import { FakeCommandRunner } from './fake-command-runner.js';
import { parsePasswdLine } from './user-accounts.js';

const MARIE = { name: 'marie', uid: 1000, sessionId: '2', type: 'x11', display: ':0' };
const ok = (stdout = '') => ({ stdout, stderr: '', exitCode: 0 });

describe('DesktopSessions', () => {
  it('finds the active graphical session among logind sessions (JSON output)', async () => {
    const runner = new FakeCommandRunner({
      loginctl: (args) => {
        if (args[0] === 'list-sessions') {
          return ok('[{"session":"c1","uid":0,"user":"root"},{"session":"2","uid":1000,"user":"marie"}]');
        }
        return args[1] === 'c1'
          ? ok('Name=root\nUser=0\nType=tty\nDisplay=\nActive=yes\nState=active\n')
          : ok('Name=marie\nUser=1000\nType=x11\nDisplay=:0\nActive=yes\nState=active\n');
      },
    });
    expect(await new DesktopSessions(runner).activeUser()).toEqual(MARIE);
  });

  it('reads the table of an older loginctl, and says null when nobody is at the desktop', async () => {
    expect(parseSessionIds('      3 1000 marie seat0 tty2\n     c4    0 root\n')).toEqual(['3', 'c4']);
    const runner = new FakeCommandRunner({
      loginctl: (args) =>
        args[0] === 'list-sessions'
          ? ok('3 1000 marie seat0 tty2\n')
          : ok('Name=marie\nUser=1000\nType=wayland\nActive=no\nState=online\n'),
    });
    expect(await new DesktopSessions(runner).activeUser()).toBeNull();
  });
});

describe('DesktopPrompts', () => {
  it('asks with zenity as the desktop user, in their session, and reads its exit status', async () => {
    const answers = [0, 1, 5, 127];
    const runner = new FakeCommandRunner({
      runuser: () => ({ stdout: '', stderr: '', exitCode: answers.shift() ?? 0 }),
    });
    const prompts = new DesktopPrompts(runner);
    const ask = () => prompts.ask(MARIE, 'Titre', 'Question ?', 30);
    expect([await ask(), await ask(), await ask(), await ask()]).toEqual([
      'accepted',
      'refused',
      'timeout',
      'unavailable',
    ]);
    const call = runner.calls[0];
    expect(call?.args.slice(0, 3)).toEqual(['-u', 'marie', '--']);
    expect(call?.args).toContain('DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus');
    expect(call?.args).toContain('--timeout=30');
    expect(call?.options.timeout).toBeGreaterThan(30_000);
  });

  it('says why a notification could not be shown', async () => {
    const missing = new DesktopPrompts(new FakeCommandRunner({ runuser: { stdout: '', stderr: '', exitCode: 127 } }));
    await expect(missing.notify(MARIE, 'a', 'b')).rejects.toThrow(/notify-send is not installed/);
    const noRunuser = new DesktopPrompts(new FakeCommandRunner());
    await expect(noRunuser.notify(MARIE, 'a', 'b')).rejects.toBeInstanceOf(CommandNotFoundError);
  });
});

describe('parsePasswdLine', () => {
  it('reads shell, home, uid and gid', () => {
    expect(parsePasswdLine('marie:x:1000:1000:Marie,,,:/home/marie:/bin/zsh')).toEqual({
      name: 'marie',
      uid: 1000,
      gid: 1000,
      home: '/home/marie',
      shell: '/bin/zsh',
    });
    expect(parsePasswdLine('broken')).toBeNull();
  });
});
