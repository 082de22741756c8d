/** A `remote-apps` document as the hub's schema wants it, from the form's values (already cleaned of nulls). */
export function remoteAppsDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const lines = Array.isArray(doc.users) ? doc.users : typeof doc.users === 'string' ? doc.users.split('\n') : [];
  const users = lines.map((u) => String(u).trim()).filter(Boolean);
  const apps = (Array.isArray(doc.apps) ? doc.apps : []).map((raw: Record<string, unknown>) => {
    const { id, name, server, program, workingDir, domain, username, gateway } = raw;
    const g = (gateway ?? {}) as Record<string, unknown>;
    return {
      id,
      name,
      server,
      ...(program !== undefined ? { program } : {}),
      ...(workingDir !== undefined ? { workingDir } : {}),
      ...(domain !== undefined ? { domain } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(g.server !== undefined ? { gateway: g } : {}),
    };
  });
  return { users, apps };
}
