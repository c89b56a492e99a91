import { useMutation, useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { LOGOUT, VIEWER } from '../operations/documents';
import { Link, useLocation } from '../routing/router';
import { type Session, endSession, isAdmin } from '../session/session';

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const path = useLocation();
  const active = path === to || path.startsWith(`${to}/`) || path.startsWith(`${to}?`);
  return (
    <Link to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The signed-in frame: navigation for the viewer's roles, the unread count, and signing out. */
export function Shell({ session, children }: { session: Session; children: ReactNode }) {
  const { data } = useQuery(VIEWER);
  const [logout] = useMutation(LOGOUT);
  const unread = data?.me?.unreadNotificationCount ?? null;

  const signOut = async () => {
    // Ends the session at the users service too; the console forgets the tokens whatever it answers.
    await logout({ variables: { refreshToken: session.refreshToken } }).catch(() => undefined);
    endSession('signed-out');
  };

  return (
    <>
      <header className="shell">
        <span className="brand">Cloudphone</span>
        <nav>
          {isAdmin(session) && <NavLink to="/devices">Devices</NavLink>}
          <NavLink to="/dashboard">Dashboard</NavLink>
          <NavLink to="/orders">Orders</NavLink>
          <NavLink to="/notifications">
            Notifications{' '}
            {unread !== null && unread > 0 && (
              <span className="badge" data-testid="unread-badge">
                {unread}
              </span>
            )}
          </NavLink>
        </nav>
        <span className="viewer">{data?.me?.displayName ?? session.displayName}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main>{children}</main>
    </>
  );
}
