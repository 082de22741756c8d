import TerminalIcon from '@mui/icons-material/Terminal';
import { TerminalSessionList } from './terminal-session-list.js';
import { TerminalSessionShow } from './terminal-session-show.js';

/** The `terminal-sessions` resource: read-only audit trail with replay (helpdesk and admin). */
export const terminalSessions = {
  list: TerminalSessionList,
  show: TerminalSessionShow,
  icon: TerminalIcon,
};
